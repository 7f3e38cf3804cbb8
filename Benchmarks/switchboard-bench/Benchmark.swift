/// One benchmark the `switchboard-bench` tool can run, chosen by name on the command line.
struct Benchmark: Sendable {
    /// The subcommand that runs it, such as `route`.
    var name: String
    var summary: String
    var run: @Sendable () async -> Void

    static func usage(_ benchmarks: [Benchmark]) -> String {
        let width = benchmarks.map(\.name.count).max() ?? 0
        let lines = benchmarks.map { "  \($0.name)\(String(repeating: " ", count: width - $0.name.count))  \($0.summary)" }
        return "usage: switchboard-bench [BENCHMARK ...]   (no name runs them all)\n\nbenchmarks:\n" + lines.joined(separator: "\n")
    }
}
