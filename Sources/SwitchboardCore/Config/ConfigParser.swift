import Yams

/// Turns the text of `config.yaml` into a validated `SwitchboardConfig`, or into every problem it has.
///
/// Pure: the caller reads the file and passes the environment, so tests need neither.
package enum ConfigParser {
    static let topLevelKeys = ["server", "storage", "messages", "delivery", "apps", "providers", "templates", "routes", "admin", "retention"]

    /// - Parameters:
    ///   - yaml: The file's text.
    ///   - file: The file's path, as it should appear in problems.
    ///   - environment: Variables that `${NAME}` references expand from.
    ///   - providerTypes: The provider types defined in `providers/`, besides the built-in ones.
    /// - Throws: `ConfigError` listing every problem found, each with its line and column.
    package static func parse(
        yaml: String, file: String, environment: [String: String], providerTypes: ProviderCatalog = ProviderCatalog()
    ) throws(ConfigError) -> SwitchboardConfig {
        let diagnostics = ConfigDiagnostics(file: file)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw ConfigError(problems: [ConfigProblem(file: file, line: 1, column: 1, message: "the file is empty; start from the config.yaml that ships with Switchboard")])
            }
            root = composed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(problems: [problem(fromYAMLError: error, file: file)])
        }
        let reader = ConfigNode(node: root, path: "", diagnostics: diagnostics, environment: environment)
        let config = read(reader, providerTypes: providerTypes)
        guard diagnostics.problems.isEmpty, let config else {
            throw ConfigError(problems: diagnostics.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return config
    }

    private static func read(_ root: ConfigNode, providerTypes: ProviderCatalog) -> SwitchboardConfig? {
        guard let top = root.mapping(allowedKeys: topLevelKeys) else { return nil }
        let server = readServer(top["server"], root: root)
        let storage = readStorage(top["storage"])
        let messages = readMessages(top["messages"])
        let delivery = readDelivery(top["delivery"])
        let templates = readTemplates(top["templates"])
        let apps = readApps(top["apps"])
        let providers = readProviders(top["providers"], root: root, catalog: providerTypes)
        let routes = readRoutes(
            top["routes"], root: root,
            context: RouteContext(
                apps: apps.map(\.id), providers: providers.map(\.name), templates: templates,
                verifyProviders: Set(providers.filter { providerTypes.definitions[$0.type]?.kind == .verify }.map(\.name))
            )
        )
        let admin = readAdmin(top["admin"], server: server)
        let retention = readRetention(top["retention"])
        guard var server, let storage, let messages, let delivery, let routes, let admin, let retention else { return nil }
        if server.issuer.isEmpty { server.issuer = "http://\(server.host):\(server.port)" }
        checkClientIDsUnique(apps, node: top["apps"])
        checkTwilioAccountsUnique(apps, node: top["apps"])
        return SwitchboardConfig(
            server: server, storage: storage, messages: messages, delivery: delivery, apps: apps,
            providers: providers, templates: templates, routes: routes, admin: admin, retention: retention
        )
    }

    /// The most `server.threads` accepted: past a few per core, threads only take turns.
    static let maxThreads = 256

    private static func readServer(_ node: ConfigNode?, root: ConfigNode) -> ServerSettings? {
        var settings = ServerSettings(host: "127.0.0.1", port: 8080, apiKeys: [])
        guard let node else { return settings }
        guard
            let entries = node.mapping(
                allowedKeys: [
                    "listen", "api_keys", "issuer", "timeouts", "max_connections", "credential_failures", "log_format", "watch_config", "threads",
                ]
            )
        else { return nil }
        if let listen = entries["listen"], let text = listen.nonEmptyString() {
            if let (host, port) = parseListenAddress(text.value) {
                settings.host = host
                settings.port = port
            } else {
                listen.report("'server.listen' is \(text.quoted); write HOST:PORT, such as 127.0.0.1:8080 or [::1]:8080, with a port from 0 to 65535")
            }
        }
        if let issuer = entries["issuer"], let text = issuer.nonEmptyString() {
            if text.value.hasPrefix("https://") || text.value.hasPrefix("http://") {
                settings.issuer = text.value
            } else {
                issuer.report("'server.issuer' is \(text.quoted); write the URL clients reach this server at, such as https://login.example.com")
            }
        }
        if let node = entries["log_format"], let text = node.nonEmptyString() {
            if let format = LogFormat(rawValue: text.value) {
                settings.logFormat = format
            } else {
                node.report("'server.log_format' is \(text.quoted); write text (lines for people) or json (one JSON object per line)")
            }
        }
        if let watch = entries["watch_config"] {
            guard let value = watch.boolean() else { return nil }
            settings.watchConfig = value
        }
        if let threads = entries["threads"] {
            guard let value = threads.integer(in: 1...maxThreads) else { return nil }
            settings.threads = value
        }
        var keyNames: Set<String> = []
        for item in entries["api_keys"]?.sequence() ?? [] {
            guard let fields = item.mapping(allowedKeys: ["name", "key"]) else { continue }
            guard let name = required(fields, "name", in: item)?.nonEmptyString(),
                let key = required(fields, "key", in: item)?.nonEmptyString()
            else { continue }
            if !keyNames.insert(name.value).inserted {
                name.node.report("duplicate API key name '\(name.value)'; each key needs its own name")
            }
            if key.value.count < 8 {
                key.node.report("the API key named '\(name.value)' is shorter than 8 characters; use a long random value")
            }
            settings.apiKeys.append(APIKey(name: name.value, key: key.value))
        }
        guard let connections = readConnectionLimits(timeouts: entries["timeouts"], maxConnections: entries["max_connections"]),
            let credentialFailures = readCredentialFailureLimits(entries["credential_failures"])
        else { return nil }
        settings.connections = connections
        settings.credentialFailures = credentialFailures
        return settings
    }

    private static func readStorage(_ node: ConfigNode?) -> StorageSettings? {
        let defaultPath = "./data/switchboard.sqlite"
        guard let node else { return .sqlite(SQLiteSettings(path: defaultPath)) }
        guard let entries = node.mapping(allowedKeys: ["sqlite", "postgres"]) else { return nil }
        if let postgres = entries["postgres"] {
            if entries["sqlite"] != nil {
                postgres.report("'storage' has both 'sqlite' and 'postgres'; keep exactly one: sqlite for one daemon, postgres for several sharing state")
                return nil
            }
            return readPostgres(postgres).map { .postgres($0) }
        }
        guard let sqlite = entries["sqlite"] else { return .sqlite(SQLiteSettings(path: defaultPath)) }
        return readSQLite(sqlite).map { .sqlite($0) }
    }

    private static func readMessages(_ node: ConfigNode?) -> MessageSettings? {
        var settings = MessageSettings(maxSegments: 3)
        guard let node else { return settings }
        guard let entries = node.mapping(allowedKeys: ["max_segments"]) else { return nil }
        if let maxSegments = entries["max_segments"]?.integer(in: 1...10) {
            settings.maxSegments = maxSegments
        }
        return settings
    }

    private static func readDelivery(_ node: ConfigNode?) -> DeliverySettings? {
        var settings = DeliverySettings(deadline: .seconds(10), attemptTimeout: .seconds(3))
        guard let node else { return settings }
        guard let entries = node.mapping(allowedKeys: ["deadline", "attempt_timeout", "breaker", "async"]) else { return nil }
        let bounds = Duration.milliseconds(10)...Duration.seconds(300)
        if let deadline = entries["deadline"]?.duration(in: bounds) { settings.deadline = deadline }
        if let timeout = entries["attempt_timeout"]?.duration(in: bounds) { settings.attemptTimeout = timeout }
        if settings.attemptTimeout > settings.deadline, let node = entries["attempt_timeout"] {
            node.report("'delivery.attempt_timeout' (\(settings.attemptTimeout.configText)) is longer than 'delivery.deadline' (\(settings.deadline.configText)); an attempt can never outlast the whole send")
        }
        if let breaker = entries["breaker"] {
            guard let read = readBreaker(breaker) else { return nil }
            settings.breaker = read
        }
        if let asynchronous = entries["async"] {
            guard let read = readAsyncDelivery(asynchronous) else { return nil }
            settings.asynchronous = read
        }
        return settings
    }

    private static func readTemplates(_ node: ConfigNode?) -> [String: MessageTemplate] {
        var templates: [String: MessageTemplate] = [:]
        for (name, value) in node?.namedEntries(kind: "template")?.entries ?? [] {
            if let template = readTemplate(value) { templates[name] = template }
        }
        return templates
    }

    static func readTemplate(_ node: ConfigNode, requiresOTP: Bool = false) -> MessageTemplate? {
        guard let text = node.nonEmptyString() else { return nil }
        let template: MessageTemplate
        do {
            template = try MessageTemplate(parsing: text.value)
        } catch {
            node.report("\(node.describedPath): \(error)")
            return nil
        }
        if requiresOTP, !template.placeholders.contains(.otp) {
            node.report("\(node.describedPath) is an OTP message but has no {otp} placeholder; add {otp} where the code goes")
            return nil
        }
        return template
    }

    private static func readProviders(_ node: ConfigNode?, root: ConfigNode, catalog: ProviderCatalog) -> [ProviderSettings] {
        guard let node else {
            root.report("no 'providers' are defined; add at least `providers: { default: { type: default } }`")
            return []
        }
        var providers: [ProviderSettings] = []
        guard let entries = node.namedEntries(kind: "provider") else { return [] }
        if entries.entries.isEmpty {
            node.report("'providers' is empty; add at least `default: { type: default }`")
        }
        for (name, value) in entries.entries {
            if let provider = readProvider(name: name, value, catalog: catalog) { providers.append(provider) }
        }
        return providers
    }

    /// One provider instance: its type, and the settings its definition declares.
    private static func readProvider(name: String, _ value: ConfigNode, catalog: ProviderCatalog) -> ProviderSettings? {
        guard case .mapping(let raw) = value.node else {
            value.report("provider '\(name)' must be a mapping with a 'type', such as `{ type: default }`")
            return nil
        }
        guard let typeValue = raw["type"] else {
            value.report("\(value.describedPath) needs 'type'")
            return nil
        }
        let typeNode = value.child(typeValue, path: "\(value.path).type")
        guard let type = typeNode.nonEmptyString() else { return nil }
        let known = catalog.typeNames
        if ProviderTypes.builtIn.contains(type.value) {
            guard let fields = value.mapping(allowedKeys: ["type"] + ProviderLimits.keys) else { return nil }
            return ProviderSettings(name: name, type: type.value, limits: readProviderLimits(fields))
        }
        guard let definition = catalog.definitions[type.value] else {
            typeNode.report("provider '\(name)' has unknown type \(type.quoted)\(Suggestion.didYouMean(type.value, among: known)); known types: \(known.joined(separator: ", ")) (types are files in the providers folder)")
            return nil
        }
        let settingNames = definition.settings.map(\.name)
        guard let fields = value.mapping(allowedKeys: ProviderSettings.reservedKeys + settingNames) else { return nil }
        let limits = readProviderLimits(fields)
        var settings: [String: String] = [:]
        for setting in definition.settings {
            if let node = fields[setting.name] {
                guard let text = node.string() else { continue }
                if setting.required, text.value.isEmpty {
                    node.report("\(node.describedPath) is empty; the \(type.value) type needs it")
                }
                settings[setting.name] = text.value
            } else if setting.required {
                value.report("provider '\(name)' (type \(type.value)) needs '\(setting.name)'; see \(definition.file)")
            } else if let defaultValue = setting.defaultValue {
                settings[setting.name] = defaultValue
            }
        }
        var baseURL: String?
        if let node = fields["base_url"], let text = node.nonEmptyString() {
            guard text.value.hasPrefix("http://") || text.value.hasPrefix("https://") else {
                node.report("\(node.describedPath) must start with http:// or https://, not \(text.quoted)")
                return nil
            }
            baseURL = text.value
        } else if definition.baseURL == nil, definition.usesBaseURL {
            value.report("provider '\(name)' needs 'base_url': the \(type.value) type has no default address")
        }
        let receipts = fields["receipts"].flatMap { readReceipts($0, provider: name, definition: definition, settings: settings) }
        let http2 = fields["http2"].map { $0.boolean() ?? true } ?? true
        return ProviderSettings(
            name: name, type: type.value, settings: settings, baseURL: baseURL, limits: limits, receipts: receipts, http2: http2
        )
    }

    /// The field, or a report that it is missing.
    static func required(_ entries: OrderedEntries, _ key: String, in parent: ConfigNode) -> ConfigNode? {
        if let node = entries[key] { return node }
        parent.report("\(parent.describedPath) needs '\(key)'")
        return nil
    }

    /// Splits `HOST:PORT` and `[IPv6]:PORT`.
    static func parseListenAddress(_ text: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let afterClose = text[text.index(after: close)...]
            guard afterClose.hasPrefix(":") else { return nil }
            portText = afterClose.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    static func problem(fromYAMLError error: any Error, file: String) -> ConfigProblem {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let problem, let mark, _),
                .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let detail = context.map { "\(problem) \($0.text)" } ?? problem
                return ConfigProblem(file: file, line: mark.line, column: mark.column, message: "this is not valid YAML: \(detail)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return duplicateKeyProblem(key: duplicates.first ?? "", first: context.mark, yaml: context.text, file: file)
            case .reader(let problem, _, _, _):
                return ConfigProblem(file: file, line: 1, column: 1, message: "the file cannot be read as UTF-8 text: \(problem)")
            default:
                break
            }
        }
        return ConfigProblem(file: file, line: 1, column: 1, message: "this is not valid YAML: \(error)")
    }
}

extension ConfigParser {
    /// libyaml reports a repeated key at its first occurrence; people need to be shown the second,
    /// so look for the same key at the same indentation further down.
    static func duplicateKeyProblem(key: String, first: Mark, yaml: String, file: String) -> ConfigProblem {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var position = (line: first.line, column: first.column)
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = lines[index]
            guard line.count > indent, line.prefix(indent).allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = line.dropFirst(indent)
            let unquoted = rest.hasPrefix("\"") || rest.hasPrefix("'") ? rest.dropFirst() : rest
            if unquoted.hasPrefix(key), unquoted.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\"" || $0 == "'" }).hasPrefix(":") {
                position = (index + 1, first.column)
                break
            }
        }
        return ConfigProblem(
            file: file, line: position.line, column: position.column,
            message: "duplicate key '\(key)'; it was already set on line \(first.line) (each key may appear once in a mapping)"
        )
    }
}

/// Provider types every build knows.
package enum ProviderTypes {
    /// `default`: keeps messages in the inbox instead of sending them.
    package static let builtIn = ["default"]
}
