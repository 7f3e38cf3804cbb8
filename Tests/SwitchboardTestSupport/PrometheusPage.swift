/// A `/metrics` page in Prometheus' text format, read into samples, for tests to look values up.
package struct PrometheusPage: Sendable {
    package struct Sample: Sendable, Hashable {
        package var name: String
        package var labels: [String: String]
        package var value: Double
    }

    package let text: String
    package let samples: [Sample]

    /// - Parameter text: The page. A line that is neither a comment nor a sample is left out.
    package init(_ text: String) {
        self.text = text
        samples = text.split(separator: "\n").compactMap(Self.sample)
    }

    /// Every metric family on the page: sample names without a histogram's `_bucket`, `_sum` and `_count`.
    package var families: Set<String> {
        var names = Set(samples.map(\.name))
        for name in names {
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                names.insert(String(name.dropLast(suffix.count)))
            }
        }
        return names
    }

    /// The value of the one sample named `name` whose labels include `labels`; `nil` when there is
    /// none. Several matching samples are a test's mistake: `nil` too.
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return matching.count == 1 ? matching[0].value : nil
    }

    /// The sum of every sample named `name` whose labels include `labels`.
    package func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }.reduce(0) { $0 + $1.value }
    }

    private static func sample(_ line: Substring) -> Sample? {
        guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
        let series = line[..<space]
        guard let open = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: open)...]
        while let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)] == "\"" {
            let key = rest[..<equals].trimmingPrefix(",")
            var index = rest.index(equals, offsetBy: 2)
            var value = ""
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\" { index = rest.index(after: index) }
                value.append(rest[index])
                index = rest.index(after: index)
            }
            labels[String(key)] = value
            rest = rest[rest.index(after: index)...]
        }
        return Sample(name: String(series[..<open]), labels: labels, value: value)
    }
}
