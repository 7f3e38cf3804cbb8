import Yams

extension ProviderDefinitionParser.Reader {
    mutating func readRequest(_ node: ConfigNode) -> ProviderDefinition.Request? {
        guard let fields = node.mapping(allowedKeys: ["method", "url", "headers", "form", "json", "xml"]) else { return nil }
        var method = "POST"
        if let methodNode = fields["method"], let text = methodNode.nonEmptyString() {
            guard ProviderDefinitionParser.methods.contains(text.value) else {
                methodNode.report("'request.method' must be one of \(ProviderDefinitionParser.methods.joined(separator: ", ")), not \(text.quoted)")
                return nil
            }
            method = text.value
        }
        // Read on after a bad URL, so one run reports the body's problems too.
        let url = ConfigParser.required(fields, "url", in: node).flatMap { template($0) }
        var headers: [ProviderDefinition.Header] = []
        for (name, value) in fields["headers"]?.mapping(validatingKeys: { isToken($0) ? nil : "'\($0)' is not a valid header name" })?.entries ?? [] {
            if let value = template(value) { headers.append(ProviderDefinition.Header(name: name, value: value)) }
        }
        let bodies = ["form", "json", "xml"].filter { fields[$0] != nil }
        if bodies.count > 1, let second = fields[bodies[1]] {
            second.report("a request has one body; it has both '\(bodies[0])' and '\(bodies[1])'")
            return nil
        }
        var body = ProviderDefinition.Body.none
        if let form = fields["form"] {
            guard let parsed = readFields(form, json: false) else { return nil }
            body = .form(parsed)
        } else if let json = fields["json"] {
            guard let parsed = readJSON(json) else { return nil }
            body = .json(parsed)
        } else if let xml = fields["xml"] {
            guard let parsed = readXMLBody(xml) else { return nil }
            body = parsed
        }
        guard let url else { return nil }
        return ProviderDefinition.Request(method: method, url: url, headers: headers, body: body)
    }

    /// `xml: { template: FILE, content_type: ... }`.
    mutating func readXMLBody(_ node: ConfigNode) -> ProviderDefinition.Body? {
        guard let fields = node.mapping(allowedKeys: ["template", "content_type"]),
            let fileNode = ConfigParser.required(fields, "template", in: node), let name = fileNode.nonEmptyString()
        else { return nil }
        let contentType = fields["content_type"]?.nonEmptyString()?.value ?? "text/xml; charset=utf-8"
        guard let template = templates[name.value] else {
            fileNode.report(
                "template file \(name.quoted) is not in the definitions folder\(Suggestion.didYouMean(name.value, among: templates.keys)); put it next to \(file.split(separator: "/").last.map(String.init) ?? file)"
            )
            return nil
        }
        do {
            let parsed = try ProviderTemplate(parsing: template.text)
            for variable in parsed.variables {
                if let problem = variableProblem(variable) {
                    let (line, column) = position(of: "{\(variable)}", in: template.text)
                    extraProblems.append(ConfigProblem(file: template.path, line: line, column: column, message: problem))
                }
            }
            return .xml(template: parsed, file: name.value, contentType: contentType)
        } catch {
            let (line, column) = position(atOffset: error.offset, in: template.text)
            extraProblems.append(ConfigProblem(file: template.path, line: line, column: column, message: error.message))
            return nil
        }
    }

    /// Named fields: a value is a template, or `{ $value: ..., $if: CONDITION }`; a name ending in
    /// `?` is left out when one of its placeholders has no value.
    mutating func readFields(_ node: ConfigNode, json: Bool) -> [ProviderDefinition.Field]? {
        guard let entries = node.mapping(validatingKeys: { _ in nil }) else { return nil }
        var result: [ProviderDefinition.Field] = []
        var failed = false
        for (rawName, value) in entries.entries {
            let optional = rawName.hasSuffix("?")
            let name = optional ? String(rawName.dropLast()) : rawName
            var condition: ProviderCondition?
            var maxLength: Int?
            var valueNode = value
            if case .mapping(let mapping) = value.node, mapping.keys.contains(where: { $0.string?.hasPrefix("$") == true }) {
                guard let parts = value.mapping(allowedKeys: ["$value", "$if", "$max_length"]), let inner = ConfigParser.required(parts, "$value", in: value)
                else {
                    failed = true
                    continue
                }
                valueNode = inner
                if let lengthNode = parts["$max_length"] {
                    guard case .scalar = inner.node else {
                        lengthNode.report("'$max_length' limits a text value; \(value.describedPath) is not one")
                        failed = true
                        continue
                    }
                    guard let length = lengthNode.integer(in: 1...1_000_000) else {
                        failed = true
                        continue
                    }
                    maxLength = length
                }
                if let conditionNode = parts["$if"], let text = conditionNode.nonEmptyString() {
                    guard let parsed = ProviderCondition(parsing: text.value) else {
                        conditionNode.report(
                            "\(conditionNode.describedPath): \(text.quoted) is not a condition; write NAME, !NAME, NAME == VALUE or NAME != VALUE"
                        )
                        failed = true
                        continue
                    }
                    if let problem = variableProblem(parsed.variable) {
                        conditionNode.report(problem)
                        failed = true
                        continue
                    }
                    condition = parsed
                }
            }
            let parsedValue: ProviderDefinition.JSONValue?
            if json {
                parsedValue = readJSON(valueNode)
            } else {
                parsedValue = template(valueNode).map { .string($0) }
            }
            guard let parsedValue else {
                failed = true
                continue
            }
            result.append(ProviderDefinition.Field(name: name, value: parsedValue, optional: optional, condition: condition, maxLength: maxLength))
        }
        return failed ? nil : result
    }

    mutating func readJSON(_ node: ConfigNode) -> ProviderDefinition.JSONValue? {
        switch node.node {
        case .mapping:
            return readFields(node, json: true).map { .object($0) }
        case .sequence:
            guard let items = node.sequence() else { return nil }
            let values = items.map { readJSON($0) }
            return values.contains { $0 == nil } ? nil : .array(values.compactMap { $0 })
        case .scalar(let scalar):
            if scalar.style == .plain {
                switch scalar.string {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null", "~": return .null
                default:
                    if Double(scalar.string) != nil, scalar.string.first.map({ $0.isASCIIDigit || $0 == "-" }) == true {
                        return .number(scalar.string)
                    }
                }
            }
            return template(node).map { .string($0) }
        case .alias:
            node.report("aliases are not supported in provider definitions")
            return nil
        }
    }
}
