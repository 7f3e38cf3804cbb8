extension ProviderDefinitionParser.Reader {
    func readResponse(_ node: ConfigNode) -> ProviderDefinition.Response? {
        guard let fields = node.mapping(allowedKeys: ["format", "max_bytes", "namespaces", "fields"]) else { return nil }
        var format = ProviderDefinition.ResponseFormat.json
        if let formatNode = fields["format"], let text = formatNode.string() {
            guard let value = ProviderDefinition.ResponseFormat(rawValue: text.value) else {
                formatNode.report("'response.format' must be json or xml, not \(text.quoted)")
                return nil
            }
            format = value
        }
        let maxBytes = fields["max_bytes"]?.integer(in: 256...16_777_216) ?? 1_048_576
        var namespaces: [String: String] = [:]
        for (prefix, value) in fields["namespaces"]?.namedEntries(kind: "namespace prefix")?.entries ?? [] {
            if let uri = value.nonEmptyString() { namespaces[prefix] = uri.value }
        }
        if !namespaces.isEmpty, format == .json, let node = fields["namespaces"] {
            node.report("'response.namespaces' is for XML answers; this one is json")
        }
        var paths: [(name: String, path: String)] = []
        for (name, value) in fields["fields"]?.namedEntries(kind: "field")?.entries ?? [] {
            guard let path = value.nonEmptyString() else { continue }
            switch format {
            case .json:
                if !(path.value.hasPrefix("/")) {
                    value.report("\(value.describedPath) must be a JSON pointer such as /sid or /messages/0/status, not \(path.quoted)")
                    continue
                }
            case .xml:
                let prefixes = Self.xpathPrefixes(path.value)
                if let unknown = prefixes.first(where: { namespaces[$0] == nil }) {
                    value.report("\(value.describedPath) uses the namespace prefix '\(unknown)', which 'response.namespaces' does not define")
                    continue
                }
            }
            paths.append((name, path.value))
        }
        if name(in: paths, "http_status") {
            node.report("'http_status' is the answer's status; name the field otherwise")
        }
        return ProviderDefinition.Response(format: format, maxBytes: maxBytes, namespaces: namespaces, fields: paths)
    }

    private func name(in paths: [(name: String, path: String)], _ name: String) -> Bool {
        paths.contains { $0.name == name }
    }

    /// `soap:Envelope/soap:Body` → ["soap"]; skips function names such as `substring-after(`.
    static func xpathPrefixes(_ path: String) -> [String] {
        var prefixes: [String] = []
        let characters = Array(path)
        var index = 0
        var inString: Character?
        while index < characters.count {
            let character = characters[index]
            if let quote = inString {
                if character == quote { inString = nil }
            } else if character == "'" || character == "\"" {
                inString = character
            } else if character == ":", index + 1 < characters.count, characters[index + 1] != ":", index > 0, characters[index - 1] != ":" {
                var start = index
                while start > 0,
                    characters[start - 1].isASCIILetter || characters[start - 1].isASCIIDigit || characters[start - 1] == "_"
                        || characters[start - 1] == "-"
                {
                    start -= 1
                }
                if start < index { prefixes.append(String(characters[start..<index])) }
            }
            index += 1
        }
        return prefixes
    }
}
