import Foundation
import SwitchboardCore
import SwitchboardJSON

/// One call to the receipt endpoint, read in a shape its provider's definition accepts: the
/// parameters it carries and the body as it came (which a signature may cover).
struct ReceiptCall {
    var shape: ProviderDefinition.ReceiptShape
    /// The form's, the query's (the callback token left out) or the JSON object's members that are
    /// strings or numbers, in order.
    var parameters: [(name: String, value: String)]
    /// The query string as sent, without `?`; `nil` when there was none.
    var rawQuery: String?
    var body: [UInt8]

    /// Why a call cannot be read as a receipt.
    enum Problem: Error, Equatable {
        case methodNotAllowed(String)
        case unsupportedMediaType(String)
        case malformed(String)
    }

    /// Reads a call.
    /// - Parameters:
    ///   - method: `GET` or `POST`.
    ///   - contentType: The `Content-Type` header, if any.
    ///   - accepts: The shapes the definition accepts.
    static func read(
        method: String, contentType: String?, rawQuery: String?, body: [UInt8], accepts: [ProviderDefinition.ReceiptShape]
    ) throws(Problem) -> ReceiptCall {
        let names = accepts.map(\.rawValue).joined(separator: ", ")
        let shape: ProviderDefinition.ReceiptShape
        if method == "GET" {
            guard accepts.contains(.query) else { throw .methodNotAllowed("this provider's receipts come as POST (\(names)), not GET") }
            shape = .query
        } else {
            let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            switch mediaType {
            case "application/x-www-form-urlencoded" where accepts.contains(.form): shape = .form
            case "application/json" where accepts.contains(.json): shape = .json
            default:
                guard accepts.contains(.form) || accepts.contains(.json) else {
                    throw .methodNotAllowed("this provider's receipts come as GET with the fields in the query, not POST")
                }
                let wanted = accepts.filter { $0 != .query }.map { $0 == .form ? "application/x-www-form-urlencoded" : "application/json" }
                throw .unsupportedMediaType(
                    "Content-Type is '\(mediaType.isEmpty ? "(none)" : mediaType)'; this provider's receipts are \(wanted.joined(separator: " or "))"
                )
            }
        }
        guard let query = URLEncodedPairs.parse(rawQuery ?? "") else { throw .malformed("the query string is not percent-encoded correctly") }
        var parameters: [(name: String, value: String)]
        switch shape {
        case .query:
            parameters = query.filter { $0.name != ReceiptSettings.tokenParameter }
        case .form:
            guard let text = String(validating: body, as: UTF8.self), let pairs = URLEncodedPairs.parse(text) else {
                throw .malformed("the form body is not UTF-8 text percent-encoded correctly")
            }
            parameters = pairs
        case .json:
            guard case .object(let object)? = try? JSONReader.parse(body) else { throw .malformed("the body must be a JSON object") }
            parameters = object.compactMap { member -> (name: String, value: String)? in
                switch member.value {
                case .string(let text): (member.key, text)
                case .number(let text): (member.key, text)
                default: nil
                }
            }
        }
        return ReceiptCall(shape: shape, parameters: parameters, rawQuery: rawQuery, body: body)
    }

    /// The query parameter `name`, if the call's query has exactly one.
    func queryValue(_ name: String) -> String? {
        let values = (URLEncodedPairs.parse(rawQuery ?? "") ?? []).filter { $0.name == name }
        return values.count == 1 ? values[0].value : nil
    }

    /// The receipt the call carries, as the definition reads it.
    func receipt(_ definition: ProviderDefinition.Receipt, provider: String, at date: Date) throws(Problem) -> DeliveryReceipt {
        let messageID = try required(definition.messageIDField)
        let status = try required(definition.statusField)
        var errorCode: String?
        if let name = definition.errorCodeField { errorCode = try optional(name) }
        return DeliveryReceipt(
            provider: provider, providerMessageID: messageID, providerStatus: status, status: definition.statuses[status],
            errorCode: errorCode, receivedAt: date
        )
    }

    /// The longest message id, status or error code kept.
    static let maximumFieldLength = 256

    private func required(_ name: String) throws(Problem) -> String {
        guard let value = try optional(name) else { throw .malformed("the receipt has no '\(name)'; a \(shape.rawValue) receipt carries it") }
        return value
    }

    private func optional(_ name: String) throws(Problem) -> String? {
        let values = parameters.filter { $0.name == name }.map(\.value)
        guard values.count <= 1 else { throw .malformed("'\(name)' is given \(values.count) times; a receipt gives it once") }
        guard let value = values.first, !value.isEmpty else { return nil }
        guard value.count <= Self.maximumFieldLength else {
            throw .malformed("'\(name)' is longer than \(Self.maximumFieldLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .malformed("'\(name)' contains a control character")
        }
        return value
    }
}
