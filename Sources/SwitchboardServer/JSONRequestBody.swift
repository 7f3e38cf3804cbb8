import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore
import SwitchboardJSON

/// The one reader of JSON request bodies, for the gateway API and the Mosaic-compatible API alike:
/// it checks the media type and the size, parses strictly and refuses repeated member names. Each
/// API then says a ``Refusal`` in its own error shape.
enum JSONRequestBody {
    static let maximumSize = 64 * 1024

    /// Why a body was refused before any field was looked at.
    enum Refusal: Error, Equatable {
        /// The `Content-Type` is missing or is not `application/json`; what was sent, if anything.
        case unsupportedMediaType(String?)
        case tooLarge
        case notAnObject
        /// An object repeats a member name: two readers could take different values from it.
        case repeatedName(path: String, name: String)

        /// What is wrong and what to send instead, for the error message.
        var message: String {
            switch self {
            case .unsupportedMediaType(let presented):
                let sent = presented.map { "Content-Type is '\($0)'" } ?? "there is no Content-Type"
                return "\(sent); send the body as JSON with Content-Type: application/json"
            case .tooLarge:
                return "the request body is over \(maximumSize / 1024) KiB"
            case .notAnObject:
                return "the body must be a JSON object"
            case .repeatedName(let path, let name):
                let place = path.isEmpty ? "the body" : "'\(path)'"
                return "\(place) has the member '\(name)' more than once; send each name once"
            }
        }
    }

    /// The body's top-level object and its bytes (for a typed decode).
    /// - Throws: ``Refusal``, or the error of a body that could not be read from the connection.
    static func object(of request: Request) async throws -> (object: JSONObject, bytes: ByteBuffer) {
        guard let contentType = request.headers[.contentType], isJSON(contentType) else {
            throw Refusal.unsupportedMediaType(request.headers[.contentType])
        }
        let buffer: ByteBuffer
        do {
            // The body alone, not a copy of the whole request to collect it into: the frame of a
            // call that reads a body stays allocated until the body has arrived.
            buffer = try await request.body.collect(upTo: maximumSize)
        } catch is NIOTooManyBytesError {
            throw Refusal.tooLarge
        }
        let parsed = buffer.withUnsafeReadableBytes { bytes in try? JSONReader.parse(bytes) }
        guard case .object(let object)? = parsed else { throw Refusal.notAnObject }
        if let repeated = JSON.object(object).firstRepeatedName {
            throw Refusal.repeatedName(path: repeated.path, name: repeated.name)
        }
        return (object, buffer)
    }

    /// `application/json`, with or without parameters such as `charset=utf-8`, in any letter case.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }.trimmingASCIIBlanks()
        return mediaType.equalsIgnoringASCIICase("application/json".utf8)
    }

    /// Reads a gateway API body strictly: unknown fields, missing fields and wrong types are each a
    /// 400 that names the field.
    static func decode<T: Decodable>(_ type: T.Type, allowedFields: [String], from request: Request) async throws -> T {
        let (object, buffer): (JSONObject, ByteBuffer)
        do {
            (object, buffer) = try await Self.object(of: request)
        } catch let refusal as Refusal {
            throw refusal.apiError
        }
        for key in object.map(\.key).sorted() where !allowedFields.contains(key) {
            throw APIError.badRequest("unknown_field", "unknown field '\(key)'\(Suggestion.didYouMean(key, among: allowedFields)); allowed fields: \(allowedFields.joined(separator: ", "))")
        }
        do {
            return try decode(T.self, object: object, bytes: buffer)
        } catch let problem as FieldProblem {
            throw APIError.badRequest("invalid_field", problem.message)
        }
    }

    /// Decodes a body that ``object(of:)`` read: through the type's fast path when it has one, else
    /// through `JSONDecoder`, whose error becomes a ``FieldProblem`` for each API to word.
    static func decode<T: Decodable>(_ type: T.Type, object: JSONObject, bytes: ByteBuffer) throws -> T {
        if let fast = T.self as? any JSONFastDecodable.Type, let value = (try? fast.init(fastPath: object)) as? T {
            return value
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes.readableBytesView))
        } catch let error as DecodingError {
            throw FieldProblem(error)
        }
    }

    /// What `JSONDecoder` found wrong with a body's fields, read once from its `DecodingError`.
    struct FieldProblem: Error {
        enum Kind: Sendable {
            case missing
            /// `expected` is what the field must be, in words ("a string").
            case wrongType(expected: String)
            case null(expected: String)
            case malformed(String)
            case unrecognized
        }

        let kind: Kind
        /// The field's keys from the top of the body; for a missing field, its own key last.
        let path: [String]

        init(_ error: DecodingError) {
            switch error {
            case .keyNotFound(let key, let context):
                (kind, path) = (.missing, (context.codingPath + [key]).map(\.stringValue))
            case .typeMismatch(let type, let context):
                (kind, path) = (.wrongType(expected: Self.describe(type)), context.codingPath.map(\.stringValue))
            case .valueNotFound(let type, let context):
                (kind, path) = (.null(expected: Self.describe(type)), context.codingPath.map(\.stringValue))
            case .dataCorrupted(let context):
                (kind, path) = (.malformed(context.debugDescription), context.codingPath.map(\.stringValue))
            @unknown default:
                (kind, path) = (.unrecognized, [])
            }
        }

        /// The gateway API's wording.
        var message: String {
            let field = path.isEmpty ? "the body" : "field '\(path.joined(separator: "."))'"
            switch kind {
            case .missing: return "\(field) is required"
            case .wrongType(let expected): return "\(field) must be \(expected)"
            case .null(let expected): return "\(field) must be \(expected), not null"
            case .malformed(let description): return "\(field): \(description)"
            case .unrecognized: return "the body does not have the expected fields"
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
}

extension JSONRequestBody.Refusal {
    /// The gateway API's answer.
    var apiError: APIError {
        switch self {
        case .unsupportedMediaType: APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: message)
        case .tooLarge: APIError(status: .contentTooLarge, code: "body_too_large", message: message)
        case .notAnObject:
            APIError.badRequest("invalid_json", "the body must be a JSON object, such as {\"to\": \"+447700900123\", \"app\": \"demo\", \"text\": \"Hello\"}")
        case .repeatedName: APIError.badRequest("repeated_field", message)
        }
    }
}
