extension ConfigParser {
    /// `providers.NAME.receipts: { public_url, token }`: enables delivery receipts for the instance.
    /// The type must declare a `receipt` section, and every receipt must be authenticated: by the
    /// definition's signature (its key's setting given) or by the token.
    static func readReceipts(
        _ node: ConfigNode, provider name: String, definition: ProviderDefinition, settings: [String: String]
    ) -> ReceiptSettings? {
        guard let receipt = definition.receipt else {
            node.report("provider '\(name)' has 'receipts', but its type \(definition.type) declares no 'receipt' section (\(definition.file)); remove 'receipts'")
            return nil
        }
        guard let fields = node.mapping(allowedKeys: ["public_url", "token"]) else { return nil }
        guard let urlNode = fields["public_url"] else {
            node.report("\(node.describedPath) needs 'public_url': the address \(name) reaches this daemon at, such as https://sms.example.com")
            return nil
        }
        guard let url = urlNode.nonEmptyString() else { return nil }
        let publicURL = url.value.hasSuffix("/") ? String(url.value.dropLast()) : url.value
        guard publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://"), !publicURL.contains("?"), !publicURL.contains("#"),
            !publicURL.contains(where: { $0 == " " || $0.isNewline })
        else {
            urlNode.report("\(urlNode.describedPath) must be an http:// or https:// address without a query or fragment, not \(url.quoted)")
            return nil
        }
        var token: String?
        if let tokenNode = fields["token"], let text = tokenNode.nonEmptyString() {
            guard text.value.count >= ReceiptSettings.minimumTokenLength,
                text.value.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "_" })
            else {
                tokenNode.report("\(tokenNode.describedPath) must be at least \(ReceiptSettings.minimumTokenLength) letters, digits, '-' or '_' (it goes in a URL); generate one with `openssl rand -hex 24`")
                return nil
            }
            token = text.value
        }
        let keyGiven = receipt.auth.key.map { key in key.variables.allSatisfy { settings[String($0.dropFirst("settings.".count)), default: ""] != "" } } ?? false
        if token == nil, !keyGiven {
            switch receipt.auth {
            case .token:
                node.report("\(node.describedPath) needs 'token': \(definition.type) receipts are authenticated only by a secret token in the callback URL")
            case .twilioSignature(let key), .vonageSignature(let key):
                let settingNames = key.variables.map { "'\($0.dropFirst("settings.".count))'" }.joined(separator: ", ")
                node.report("\(node.describedPath) cannot authenticate receipts: set the provider's \(settingNames) (the signature key) or 'receipts.token'")
            }
            return nil
        }
        return ReceiptSettings(publicURL: publicURL, token: token)
    }
}
