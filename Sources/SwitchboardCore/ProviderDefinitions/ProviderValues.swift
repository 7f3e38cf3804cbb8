/// The values placeholders draw from while one request is built.
package struct ProviderValues: Sendable {
    private var values: [String: String]

    package init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// A value, or nil when it is absent or empty (an empty setting counts as not given).
    package subscript(name: String) -> String? {
        get {
            guard let value = values[name], !value.isEmpty else { return nil }
            return value
        }
        set { values[name] = newValue }
    }

    /// The values of one message: `message.id`, `message.to`, `message.to_digits`, `message.sender`,
    /// `message.text`, `message.encoding` (`gsm7` or `ucs2`) and `message.segments`.
    package mutating func add(_ message: OutboundMessage) {
        // Room for all of them at once: the copy of the instance's values is made at this size,
        // instead of grown as they are added.
        values.reserveCapacity(values.count + Self.messageVariables.count)
        values["message.id"] = message.id
        values["message.to"] = message.to.e164
        values["message.to_digits"] = String(message.to.e164.dropFirst())
        values["message.sender"] = message.sender?.description
        values["message.text"] = message.text
        values["message.encoding"] = message.encoding == .gsm7 ? "gsm7" : "ucs2"
        values["message.segments"] = String(message.segments)
        if case .alphanumeric(let name) = message.sender { values["message.sender_name"] = name }
        values["message.app"] = message.ownedCode?.app
        values["message.template"] = message.ownedCode?.template
    }

    /// Every name under `prefix.`: `settings.*`, `token.*`.
    package mutating func add(_ entries: [String: String], prefix: String) {
        for (key, value) in entries { values["\(prefix).\(key)"] = value }
    }

    /// The message placeholders a definition may use.
    package static let messageVariables = [
        "message.id", "message.to", "message.to_digits", "message.sender", "message.text", "message.encoding", "message.segments",
        "message.sender_name", "message.app", "message.template",
    ]

    /// Our callback URL for delivery receipts, when the instance enables them (`receipts:`).
    package static let receiptURLVariable = "receipt.url"

    /// The code a verify definition's `check` sends.
    package static let codeVariable = "code"
}
