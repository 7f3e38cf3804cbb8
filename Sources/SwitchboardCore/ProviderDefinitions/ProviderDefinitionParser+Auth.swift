import Yams

extension ProviderDefinitionParser.Reader {
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
            node.child(typeValue, path: "auth.type").report(
                "unknown auth type \"\(kind)\"\(Suggestion.didYouMean(kind, among: kinds)); known: \(kinds.joined(separator: ", "))"
            )
            return nil
        }
        guard let fields = node.mapping(allowedKeys: ["type"] + allowed) else { return nil }
        func need(_ key: String) -> ConfigNode? { ConfigParser.required(fields, key, in: node) }
        switch kind {
        case "none":
            return ProviderDefinition.Auth.none
        case "basic":
            guard let username = need("username").flatMap({ template($0) }), let password = need("password").flatMap({ template($0) }) else {
                return nil
            }
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
                    tokenURL: url,
                    encoding: encoding,
                    fields: tokenFields,
                    refreshBefore: refreshBefore,
                    defaultLifetime: lifetime,
                    sendsBearer: sendsBearer
                )
            )
        }
    }
}
