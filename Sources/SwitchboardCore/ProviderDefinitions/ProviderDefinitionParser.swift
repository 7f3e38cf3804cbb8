import Foundation
import Yams

/// Reads one provider definition file (`providers/TYPE.yaml`) into a `ProviderDefinition`, or into
/// every problem it has, each with its file, line and column, like `config.yaml`.
///
/// Pure: the caller reads the files. Schema: `providers/README.md`.
package enum ProviderDefinitionParser {
    static let topLevelKeys = ["summary", "settings", "base_url", "auth", "request", "response", "classification"]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// - Parameters:
    ///   - yaml: The definition file's text.
    ///   - type: The type name (the file name without `.yaml`).
    ///   - file: The file's path, as it should appear in problems.
    ///   - templates: Other files of the definitions folder by name (SOAP envelope templates), with the
    ///     path each should have in problems.
    /// - Throws: `ConfigError` with every problem found.
    package static func parse(
        yaml: String, type: String, file: String, templates: [String: (path: String, text: String)] = [:]
    ) throws(ConfigError) -> ProviderDefinition {
        let diagnostics = ConfigDiagnostics(file: file)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw ConfigError(problems: [ConfigProblem(file: file, line: 1, column: 1, message: "the definition is empty; see providers/README.md for what it holds")])
            }
            root = composed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(problems: [ConfigParser.problem(fromYAMLError: error, file: file)])
        }
        var reader = DefinitionReader(type: type, file: file, templates: templates, extraProblems: [])
        let definition = reader.read(ConfigNode(node: root, path: "", diagnostics: diagnostics, environment: [:]))
        let problems = diagnostics.problems + reader.extraProblems
        guard problems.isEmpty, let definition else {
            throw ConfigError(problems: problems.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        }
        return definition
    }
}

/// The state of reading one definition: which names its placeholders may use.
private struct DefinitionReader {
    let type: String
    let file: String
    let templates: [String: (path: String, text: String)]
    /// Problems found in other files (the envelope template), which have their own path.
    var extraProblems: [ConfigProblem]
    var settings: [String] = []
    var usesOAuth2 = false

    mutating func read(_ root: ConfigNode) -> ProviderDefinition? {
        guard let top = root.mapping(allowedKeys: ProviderDefinitionParser.topLevelKeys) else { return nil }
        let summary = top["summary"]?.string()?.value ?? ""
        let settingList = readSettings(top["settings"])
        settings = settingList.map(\.name)
        let baseURL = top["base_url"].flatMap { template($0) }
        let auth = readAuth(top["auth"])
        let request = ConfigParser.required(top, "request", in: root).flatMap { readRequest($0) }
        let response = ConfigParser.required(top, "response", in: root).flatMap { readResponse($0) }
        let classification = ConfigParser.required(top, "classification", in: root).flatMap { readClassification($0, fields: response?.fields.map(\.name) ?? []) }
        guard let auth, let request, let response, let classification else { return nil }
        return ProviderDefinition(
            type: type, file: file, summary: summary, settings: settingList, baseURL: baseURL, auth: auth,
            request: request, response: response, classification: classification
        )
    }

    // MARK: settings

    func readSettings(_ node: ConfigNode?) -> [ProviderDefinition.Setting] {
        guard let entries = node?.namedEntries(kind: "setting") else { return [] }
        var result: [ProviderDefinition.Setting] = []
        for (name, value) in entries.entries {
            if ProviderSettings.reservedKeys.contains(name) {
                value.report("setting name '\(name)' is reserved in config.yaml; choose another")
                continue
            }
            guard let fields = value.mapping(allowedKeys: ["required", "secret", "default", "description"]) else { continue }
            let required = fields["required"]?.boolean() ?? false
            let secret = fields["secret"]?.boolean() ?? false
            let defaultValue = fields["default"]?.string()?.value
            if required, defaultValue != nil, let node = fields["default"] {
                node.report("setting '\(name)' is required and has a default; a default makes it optional, so drop one of them")
            }
            _ = fields["description"]?.string()
            result.append(ProviderDefinition.Setting(name: name, required: required, secret: secret, defaultValue: defaultValue))
        }
        return result
    }

    // MARK: auth

    mutating func readAuth(_ node: ConfigNode?) -> ProviderDefinition.Auth? {
        guard let node else { return ProviderDefinition.Auth.none }
        let kinds = ["none", "basic", "bearer", "header", "query", "oauth2"]
        guard case .mapping = node.node else {
            node.report("'auth' must be a mapping with a 'type' (\(kinds.joined(separator: ", ")))")
            return nil
        }
        let typeKeys: [String: [String]] = [
            "none": [], "basic": ["username", "password"], "bearer": ["token"], "header": ["name", "value"],
            "query": ["name", "value"],
            "oauth2": ["token_url", "encoding", "client_id", "client_secret", "fields", "refresh_before", "default_lifetime", "send_bearer"],
        ]
        // Read the type first, so the allowed keys can follow it.
        guard case .mapping(let raw) = node.node, let typeValue = raw["type"], case .scalar(let typeScalar) = typeValue else {
            node.report("'auth' needs 'type': one of \(kinds.joined(separator: ", "))")
            return nil
        }
        let kind = typeScalar.string
        guard let allowed = typeKeys[kind] else {
            node.child(typeValue, path: "auth.type").report("unknown auth type \"\(kind)\"\(Suggestion.didYouMean(kind, among: kinds)); known: \(kinds.joined(separator: ", "))")
            return nil
        }
        guard let fields = node.mapping(allowedKeys: ["type"] + allowed) else { return nil }
        func need(_ key: String) -> ConfigNode? { ConfigParser.required(fields, key, in: node) }
        switch kind {
        case "none":
            return ProviderDefinition.Auth.none
        case "basic":
            guard let username = need("username").flatMap({ template($0) }), let password = need("password").flatMap({ template($0) }) else { return nil }
            return .basic(username: username, password: password)
        case "bearer":
            return need("token").flatMap { template($0) }.map { .bearer(token: $0) }
        case "header", "query":
            guard let name = need("name")?.nonEmptyString(), let value = need("value").flatMap({ template($0) }) else { return nil }
            if kind == "header", !isToken(name.value) {
                name.node.report("'\(name.value)' is not a valid header name")
                return nil
            }
            return kind == "header" ? .header(name: name.value, value: value) : .query(name: name.value, value: value)
        default:
            guard let urlNode = need("token_url"), let url = template(urlNode),
                let clientID = need("client_id"), let clientSecret = need("client_secret")
            else { return nil }
            var encoding = ProviderDefinition.BodyEncoding.json
            if let node = fields["encoding"], let text = node.string() {
                guard let value = ProviderDefinition.BodyEncoding(rawValue: text.value) else {
                    node.report("'auth.encoding' must be json or form, not \(text.quoted)")
                    return nil
                }
                encoding = value
            }
            // A constant without braces always parses.
            let grantType = (try? ProviderTemplate(parsing: "client_credentials")) ?? ProviderTemplate.empty
            var tokenFields: [ProviderDefinition.Field] = [
                ProviderDefinition.Field(name: "grant_type", value: .string(grantType), optional: false, condition: nil)
            ]
            for (name, valueNode) in [("client_id", clientID), ("client_secret", clientSecret)] {
                guard let value = template(valueNode) else { return nil }
                tokenFields.append(ProviderDefinition.Field(name: name, value: .string(value), optional: false, condition: nil))
            }
            if let extra = fields["fields"] {
                guard let parsed = readFields(extra, json: false) else { return nil }
                tokenFields += parsed
            }
            let refreshBefore = fields["refresh_before"]?.duration(in: .zero ... .seconds(3600)) ?? .seconds(60)
            let lifetime = fields["default_lifetime"]?.duration(in: .seconds(1) ... .seconds(86400)) ?? .seconds(300)
            let sendsBearer = fields["send_bearer"]?.boolean() ?? true
            usesOAuth2 = true
            return .oauth2(
                ProviderDefinition.OAuth2(
                    tokenURL: url, encoding: encoding, fields: tokenFields, refreshBefore: refreshBefore,
                    defaultLifetime: lifetime, sendsBearer: sendsBearer
                )
            )
        }
    }

    // MARK: request

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
            fileNode.report("template file \(name.quoted) is not in the definitions folder\(Suggestion.didYouMean(name.value, among: templates.keys)); put it next to \(file.split(separator: "/").last.map(String.init) ?? file)")
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
            var valueNode = value
            if case .mapping(let mapping) = value.node, mapping.keys.contains(where: { $0.string?.hasPrefix("$") == true }) {
                guard let parts = value.mapping(allowedKeys: ["$value", "$if"]), let inner = ConfigParser.required(parts, "$value", in: value) else {
                    failed = true
                    continue
                }
                valueNode = inner
                if let conditionNode = parts["$if"], let text = conditionNode.nonEmptyString() {
                    guard let parsed = ProviderCondition(parsing: text.value) else {
                        conditionNode.report("\(conditionNode.describedPath): \(text.quoted) is not a condition; write NAME, !NAME, NAME == VALUE or NAME != VALUE")
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
            result.append(ProviderDefinition.Field(name: name, value: parsedValue, optional: optional, condition: condition))
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

    // MARK: response

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
                while start > 0, characters[start - 1].isASCIILetter || characters[start - 1].isASCIIDigit || characters[start - 1] == "_" || characters[start - 1] == "-" {
                    start -= 1
                }
                if start < index { prefixes.append(String(characters[start..<index])) }
            }
            index += 1
        }
        return prefixes
    }

    // MARK: classification

    func readClassification(_ node: ConfigNode, fields: [String]) -> ProviderDefinition.Classification? {
        guard let entries = node.mapping(allowedKeys: ["rules", "otherwise"]) else { return nil }
        let decisions = ProviderDefinition.Decision.allCases.map(\.rawValue)
        func decision(_ node: ConfigNode) -> ProviderDefinition.Decision? {
            guard let text = node.nonEmptyString() else { return nil }
            guard let value = ProviderDefinition.Decision(rawValue: text.value) else {
                node.report("\(node.describedPath) must be one of \(decisions.joined(separator: ", ")), not \(text.quoted)\(Suggestion.didYouMean(text.value, among: decisions))")
                return nil
            }
            if value == .refreshToken, !usesOAuth2 {
                node.report("refresh_token needs 'auth.type: oauth2'; this definition has no token to refresh")
                return nil
            }
            return value
        }
        var rules: [ProviderDefinition.Rule] = []
        let known = ["http_status"] + fields
        for item in entries["rules"]?.sequence() ?? [] {
            guard let ruleFields = item.mapping(allowedKeys: ["if", "then"]),
                let ifNode = ConfigParser.required(ruleFields, "if", in: item),
                let thenNode = ConfigParser.required(ruleFields, "then", in: item)
            else { continue }
            var conditions: [ProviderDefinition.Condition] = []
            var rejectedKey = false
            for (field, valuesNode) in ifNode.mapping(validatingKeys: { key in
                if known.contains(key) { return nil }
                rejectedKey = true
                return "'\(key)' is neither http_status nor a field under 'response.fields'\(Suggestion.didYouMean(key, among: known))"
            })?.entries ?? [] {
                guard let values = valuesNode.stringList() else { continue }
                var matchers: [ProviderDefinition.Matcher] = []
                for value in values {
                    guard let matcher = Self.matcher(value.value, numericOnly: field == "http_status") else {
                        value.node.report("\(value.quoted) is not a status; write 201, 200-299 or 5xx")
                        continue
                    }
                    matchers.append(matcher)
                }
                if matchers.isEmpty {
                    valuesNode.report("\(valuesNode.describedPath) lists no values")
                    continue
                }
                conditions.append(ProviderDefinition.Condition(field: field, matchers: matchers))
            }
            if conditions.isEmpty {
                if !rejectedKey { ifNode.report("a rule needs at least one condition") }
                continue
            }
            guard let decision = decision(thenNode) else { continue }
            rules.append(ProviderDefinition.Rule(conditions: conditions, decision: decision, line: item.line))
        }
        var otherwise = ProviderDefinition.Decision.retryable
        if let node = entries["otherwise"], let value = decision(node) {
            if value == .refreshToken {
                node.report("'otherwise' cannot be refresh_token; say what an unknown answer means")
            } else {
                otherwise = value
            }
        }
        return ProviderDefinition.Classification(rules: rules, otherwise: otherwise)
    }

    /// `201`, `200-299`, `5xx`, `*` (present), `-` (absent), or any other text, matched as written.
    static func matcher(_ text: String, numericOnly: Bool) -> ProviderDefinition.Matcher? {
        if text == "*" { return .present }
        if text == "-" { return .absent }
        if text.count == 3, text.hasSuffix("xx"), let first = text.first?.wholeNumberValue { return .statusClass(first) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low <= high { return .range(low...high) }
        if numericOnly, Int(text) == nil { return nil }
        return .exact(text)
    }

    // MARK: templates and names

    /// A scalar parsed as a template whose placeholders are all known.
    func template(_ node: ConfigNode) -> ProviderTemplate? {
        guard let text = node.string() else { return nil }
        let parsed: ProviderTemplate
        do {
            parsed = try ProviderTemplate(parsing: text.value)
        } catch {
            node.report("\(node.describedPath): \(error.message)")
            return nil
        }
        for variable in parsed.variables {
            if let problem = variableProblem(variable) {
                node.report("\(node.describedPath): \(problem)")
                return nil
            }
        }
        return parsed
    }

    func variableProblem(_ name: String) -> String? {
        if name == "base_url" || ProviderValues.messageVariables.contains(name) { return nil }
        if name.hasPrefix("settings.") {
            let setting = String(name.dropFirst("settings.".count))
            if settings.contains(setting) { return nil }
            return "'{\(name)}' names a setting that 'settings' does not declare\(Suggestion.didYouMean(setting, among: settings))"
        }
        if name.hasPrefix("token."), name.count > "token.".count {
            return usesOAuth2 ? nil : "'{\(name)}' needs 'auth.type: oauth2'"
        }
        let known = ["base_url"] + ProviderValues.messageVariables + settings.map { "settings.\($0)" }
        return "unknown placeholder '{\(name)}'\(Suggestion.didYouMean(name, among: known)); use message.*, settings.*, token.* or base_url"
    }

    func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "!#$%&'*+-.^_`|~".contains($0) }
    }

    func position(of needle: String, in text: String) -> (Int, Int) {
        guard let range = text.range(of: needle) else { return (1, 1) }
        return position(atOffset: text.distance(from: text.startIndex, to: range.lowerBound), in: text)
    }

    func position(atOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
