import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardJSON

/// Reads a JSON request body strictly: unknown fields, missing fields and wrong types are each a
/// 400 that names the field.
enum JSONRequestBody {
    static let maximumSize = 64 * 1024

    static func decode<T: Decodable>(_ type: T.Type, allowedFields: [String], from request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumSize)
        } catch {
            throw APIError(status: .contentTooLarge, code: "body_too_large", message: "the request body is over \(maximumSize / 1024) KiB")
        }
        // A repeated name is read as its last value by both this reader and `JSONDecoder`, so the
        // field check and the typed decode below never see different members.
        let parsed = buffer.withUnsafeReadableBytes { bytes in try? JSONReader.parse(bytes) }
        guard case .object(let object)? = parsed else {
            throw APIError.badRequest("invalid_json", "the body must be a JSON object, such as {\"to\": \"+447700900123\", \"app\": \"demo\", \"text\": \"Hello\"}")
        }
        for key in object.map(\.key).sorted() where !allowedFields.contains(key) {
            throw APIError.badRequest("unknown_field", "unknown field '\(key)'\(Suggestion.didYouMean(key, among: allowedFields)); allowed fields: \(allowedFields.joined(separator: ", "))")
        }
        if let fast = T.self as? any JSONFastDecodable.Type, let value = (try? fast.init(fastPath: object)) as? T {
            return value
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badRequest("invalid_field", describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = (codingPath + (last.map { [$0] } ?? [])).map(\.stringValue)
            return keys.isEmpty ? "the body" : "field '\(keys.joined(separator: "."))'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)) is required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(describe(type)), not null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the body does not have the expected fields"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
