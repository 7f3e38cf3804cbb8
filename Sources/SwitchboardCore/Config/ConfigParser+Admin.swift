extension ConfigParser {
    /// Admin tokens are the keys to reload and to read every provider's state: longer than API keys.
    static let minimumAdminTokenLength = 16

    /// `admin: { tokens: [${ADMIN_TOKEN}], listen: "127.0.0.1:9090" }`; both keys are optional, and
    /// no tokens leave the admin API off.
    /// - Parameters:
    ///   - node: The `admin` section, if there is one.
    ///   - server: The server settings read already: a token may not be one of its API keys, and
    ///     `admin.listen` may not be `server.listen`.
    static func readAdmin(_ node: ConfigNode?, server: ServerSettings?) -> AdminSettings? {
        var settings = AdminSettings()
        guard let node else { return settings }
        guard let entries = node.mapping(allowedKeys: ["tokens", "listen"]) else { return nil }
        var valid = true
        let apiKeys = Set(server?.apiKeys.map(\.key) ?? [])
        for item in entries["tokens"]?.sequence() ?? [] {
            guard let token = item.nonEmptyString() else {
                valid = false
                continue
            }
            if apiKeys.contains(token.value) {
                item.report("\(item.describedPath) is also one of server.api_keys; an admin token must be a value of its own, never an API key")
                valid = false
            } else if token.value.count < minimumAdminTokenLength {
                item.report("\(item.describedPath) is shorter than \(minimumAdminTokenLength) characters; use a long random value, such as the output of `openssl rand -hex 32`")
                valid = false
            } else if settings.tokens.contains(token.value) {
                item.report("\(item.describedPath) repeats an earlier admin token; remove it")
                valid = false
            } else {
                settings.tokens.append(token.value)
            }
        }
        if let listen = entries["listen"], let text = listen.nonEmptyString() {
            if let (host, port) = parseListenAddress(text.value) {
                let address = ListenAddress(host: host, port: port)
                if let server, server.host == host, server.port == port, port != 0 {
                    listen.report("'admin.listen' is the same address as 'server.listen'; leave admin.listen out to serve the admin API there, or give it an address of its own")
                    valid = false
                } else {
                    settings.listen = address
                }
            } else {
                listen.report("'admin.listen' is \(text.quoted); write HOST:PORT, such as 127.0.0.1:9090")
                valid = false
            }
        }
        return valid ? settings : nil
    }
}
