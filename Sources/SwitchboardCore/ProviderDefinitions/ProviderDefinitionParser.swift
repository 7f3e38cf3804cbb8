import Foundation
import Yams

/// Reads one provider definition file (`providers/TYPE.yaml`) into a `ProviderDefinition`, or into
/// every problem it has, each with its file, line and column, like `config.yaml`.
///
/// Pure: the caller reads the files. Schema: `providers/README.md`.
package enum ProviderDefinitionParser {
    static let topLevelKeys = ["summary", "settings", "base_url", "auth", "request", "response", "classification", "kind", "receipt"]
    /// A verify definition's keys in place of `request`, `response` and `classification`.
    static let verifyTopLevelKeys = ["summary", "settings", "base_url", "auth", "kind", "prepare", "start", "check"]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// - Parameters:
    ///   - yaml: The definition file's text.
    ///   - type: The type name (the file name without `.yaml`).
    ///   - file: The file's path, as it should appear in problems.
    ///   - templates: Other files of the definitions folder by name (SOAP envelope templates), with the
    ///     path each should have in problems.
    /// - Throws: `ConfigError` with every problem found.
    package static func parse(
        yaml: String,
        type: String,
        file: String,
        templates: [String: (path: String, text: String)] = [:]
    ) throws(ConfigError) -> ProviderDefinition {
        let diagnostics = ConfigDiagnostics(file: file)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw ConfigError(problems: [
                    ConfigProblem(file: file, line: 1, column: 1, message: "the definition is empty; see providers/README.md for what it holds")
                ])
            }
            root = composed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(problems: [ConfigParser.problem(fromYAMLError: error, file: file)])
        }
        var reader = Reader(type: type, file: file, templates: templates, extraProblems: [])
        let definition = reader.read(ConfigNode(node: root, path: "", diagnostics: diagnostics, environment: [:]))
        let problems = diagnostics.problems + reader.extraProblems
        guard problems.isEmpty, let definition else {
            throw ConfigError(problems: problems.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        }
        return definition
    }
}

extension ProviderDefinitionParser {
    /// The state of reading one definition: which names its placeholders may use.
    struct Reader {
        let type: String
        let file: String
        let templates: [String: (path: String, text: String)]
        /// Problems found in other files (the envelope template), which have their own path.
        var extraProblems: [ConfigProblem]
        var settings: [String] = []
        var usesOAuth2 = false
        /// Placeholders allowed besides the usual ones while one part is read (`code` in `check`).
        var extraVariables: [String] = []
        /// The definition declares `receipt:`, so its request may use `{receipt.url}`.
        var hasReceipt = false

        mutating func read(_ root: ConfigNode) -> ProviderDefinition? {
            let kind = readKind(root)
            let keys = kind == .verify ? ProviderDefinitionParser.verifyTopLevelKeys : ProviderDefinitionParser.topLevelKeys
            guard let kind, let top = root.mapping(allowedKeys: keys) else { return nil }
            let summary = top["summary"]?.string()?.value ?? ""
            let settingList = readSettings(top["settings"])
            settings = settingList.map(\.name)
            let baseURL = top["base_url"].flatMap { template($0) }
            let auth = readAuth(top["auth"])
            var receipt: ProviderDefinition.Receipt?
            if let node = top["receipt"] {
                hasReceipt = true
                receipt = readReceipt(node)
            }
            let message: ProviderDefinition.Exchange?
            var verify: ProviderDefinition.VerifySteps?
            switch kind {
            case .delivery:
                message = readExchange(top, in: root, decisions: ProviderDefinition.Decision.delivery)
            case .verify:
                let steps = readVerify(top, in: root)
                message = steps?.start
                verify = steps.map { ProviderDefinition.VerifySteps(prepare: $0.prepare, check: $0.check) }
            }
            guard let auth, let message, top["receipt"] == nil || receipt != nil else { return nil }
            return ProviderDefinition(
                type: type,
                kind: kind,
                file: file,
                summary: summary,
                settings: settingList,
                baseURL: baseURL,
                auth: auth,
                request: message.request,
                response: message.response,
                classification: message.classification,
                verify: verify,
                receipt: receipt
            )
        }

        /// `request`, `response` and `classification` of one mapping (the top level, or a verify
        /// definition's `start`, `prepare` and `check`), with the decisions its rules may take.
        mutating func readExchange(_ fields: OrderedEntries, in node: ConfigNode, decisions: [ProviderDefinition.Decision]) -> ProviderDefinition.Exchange? {
            let request = ConfigParser.required(fields, "request", in: node).flatMap { readRequest($0) }
            let response = ConfigParser.required(fields, "response", in: node).flatMap { readResponse($0) }
            let classification = ConfigParser.required(fields, "classification", in: node).flatMap {
                readClassification($0, fields: response?.fields.map(\.name) ?? [], decisions: decisions)
            }
            guard let request, let response, let classification else { return nil }
            return ProviderDefinition.Exchange(request: request, response: response, classification: classification)
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
            if name == "base_url" || ProviderValues.messageVariables.contains(name) || extraVariables.contains(name) { return nil }
            if name == ProviderValues.receiptURLVariable {
                return hasReceipt ? nil : "'{\(name)}' is the callback URL for delivery receipts; declare a 'receipt' section to use it"
            }
            if name == ProviderValues.codeVariable {
                return "'{\(name)}' is the code to check; only a verify definition's 'check' has one"
            }
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
}
