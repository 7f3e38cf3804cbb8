import Yams

extension ProviderDefinitionParser.Reader {
    static let receiptKeys = ["accepts", "auth", "fields", "statuses"]
    static let receiptAuthTypes = ["token", "twilio_signature", "vonage_signature"]

    /// `receipt:`: how the provider calls us back with delivery receipts (providers/README.md).
    func readReceipt(_ node: ConfigNode) -> ProviderDefinition.Receipt? {
        guard let fields = node.mapping(allowedKeys: Self.receiptKeys) else { return nil }
        let accepts = ConfigParser.required(fields, "accepts", in: node).flatMap { readShapes($0) }
        let auth = ConfigParser.required(fields, "auth", in: node).flatMap { readReceiptAuth($0) }
        let names = ConfigParser.required(fields, "fields", in: node).flatMap { readReceiptFields($0) }
        let statuses = ConfigParser.required(fields, "statuses", in: node).flatMap { readStatuses($0) }
        guard let accepts, let auth, let names, let statuses else { return nil }
        if case .twilioSignature = auth, accepts != [.form] {
            node.report("'receipt.accepts' must be [form] with 'twilio_signature': the signature covers form parameters only")
            return nil
        }
        return ProviderDefinition.Receipt(
            accepts: accepts, auth: auth, messageIDField: names.messageID, statusField: names.status, errorCodeField: names.errorCode,
            statuses: statuses
        )
    }

    private func readShapes(_ node: ConfigNode) -> [ProviderDefinition.ReceiptShape]? {
        guard let items = node.stringList() else { return nil }
        var shapes: [ProviderDefinition.ReceiptShape] = []
        for item in items {
            guard let shape = ProviderDefinition.ReceiptShape(rawValue: item.value) else {
                let known = ProviderDefinition.ReceiptShape.allCases.map(\.rawValue)
                item.node.report("\(item.node.describedPath): unknown shape \(item.quoted)\(Suggestion.didYouMean(item.value, among: known)); use form, json or query")
                return nil
            }
            if shapes.contains(shape) {
                item.node.report("\(item.node.describedPath) lists \(item.quoted) twice")
                return nil
            }
            shapes.append(shape)
        }
        if shapes.isEmpty {
            node.report("\(node.describedPath) is empty; list at least one of form, json, query")
            return nil
        }
        return shapes
    }

    private func readReceiptAuth(_ node: ConfigNode) -> ProviderDefinition.ReceiptAuth? {
        let types = Self.receiptAuthTypes
        guard case .mapping(let raw) = node.node, let typeValue = raw["type"], case .scalar(let typeScalar) = typeValue else {
            node.report("'receipt.auth' needs 'type': one of \(types.joined(separator: ", "))")
            return nil
        }
        let keyName: [String: String] = ["twilio_signature": "key", "vonage_signature": "secret"]
        let kind = typeScalar.string
        guard types.contains(kind) else {
            node.child(typeValue, path: "receipt.auth.type").report(
                "unknown receipt auth type \"\(kind)\"\(Suggestion.didYouMean(kind, among: types)); known: \(types.joined(separator: ", "))"
            )
            return nil
        }
        guard let fields = node.mapping(allowedKeys: ["type"] + (keyName[kind].map { [$0] } ?? [])) else { return nil }
        guard let name = keyName[kind] else { return .token }
        guard let keyNode = ConfigParser.required(fields, name, in: node), let key = template(keyNode) else { return nil }
        if key.variables.contains(where: { !$0.hasPrefix("settings.") }) {
            keyNode.report("\(keyNode.describedPath) may use only settings ({settings.NAME}): it is read when a receipt arrives, not when a message is sent")
            return nil
        }
        return kind == "twilio_signature" ? .twilioSignature(key: key) : .vonageSignature(secret: key)
    }

    private func readReceiptFields(_ node: ConfigNode) -> (messageID: String, status: String, errorCode: String?)? {
        guard let fields = node.mapping(allowedKeys: ["message_id", "status", "error_code"]) else { return nil }
        let messageID = ConfigParser.required(fields, "message_id", in: node)?.nonEmptyString()
        let status = ConfigParser.required(fields, "status", in: node)?.nonEmptyString()
        let errorCode = fields["error_code"]?.nonEmptyString()
        guard let messageID, let status else { return nil }
        return (messageID.value, status.value, errorCode?.value)
    }

    private func readStatuses(_ node: ConfigNode) -> [String: MessageStatus]? {
        let ours = MessageLifecycle.receiptStatuses.map(\.rawValue)
        guard let fields = node.mapping(allowedKeys: ours) else { return nil }
        var statuses: [String: MessageStatus] = [:]
        for (key, value) in fields.entries {
            guard let status = MessageStatus(rawValue: key), let items = value.stringList() else { continue }
            for item in items {
                if let earlier = statuses[item.value] {
                    item.node.report("provider status \(item.quoted) is already mapped to '\(earlier.rawValue)'; a status may mean one thing only")
                    continue
                }
                statuses[item.value] = status
            }
        }
        // Unknown keys are reported already; an empty mapping has no other problem to point at.
        if statuses.isEmpty, case .mapping(let raw) = node.node, raw.count == fields.entries.count {
            node.report("\(node.describedPath) maps no provider status; map at least one to \(ours.joined(separator: ", "))")
            return nil
        }
        return statuses
    }
}
