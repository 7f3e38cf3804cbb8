import Hummingbird
import NIOCore
import SwitchboardJSON

/// Mosaic's side of the one JSON body reader, ``JSONRequestBody``: which of Mosaic's error
/// shapes each refusal and each field problem is answered with.
enum MosaicRequestBody {
    /// Decodes a body; a missing or mistyped field is Mosaic's 400 `system_invalid_input` naming it.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let (object, bytes) = try await read(request) { .auth(.badRequest, "system_invalid_input", $0) }
        do {
            return try JSONRequestBody.decode(T.self, object: object, bytes: bytes)
        } catch let problem as JSONRequestBody.FieldProblem {
            throw MosaicError.auth(.badRequest, "system_invalid_input", problem.mosaicMessage)
        }
    }

    /// The body's top-level object; a body that is not one is `invalid`'s 400.
    static func object(of request: Request, invalid: (String) -> MosaicError) async throws -> JSONObject {
        try await read(request, invalid: invalid).object
    }

    /// A wrong media type or an oversized body get their own statuses, anything else unreadable is
    /// `invalid`'s 400.
    private static func read(_ request: Request, invalid: (String) -> MosaicError) async throws -> (object: JSONObject, bytes: ByteBuffer) {
        do {
            return try await JSONRequestBody.object(of: request)
        } catch let refusal as JSONRequestBody.Refusal {
            switch refusal {
            case .unsupportedMediaType: throw MosaicError.auth(.unsupportedMediaType, "unsupported_media_type", refusal.message)
            case .tooLarge: throw MosaicError.auth(.contentTooLarge, "body_too_large", refusal.message)
            case .notAnObject, .repeatedName: throw invalid(refusal.message)
            }
        }
    }
}

extension JSONRequestBody.FieldProblem {
    /// Mosaic's wording, which names a missing field by its key alone.
    var mosaicMessage: String {
        switch kind {
        case .missing: "\(path.last ?? "") is required"
        case .wrongType, .null: "\(path.joined(separator: ".")) has the wrong type"
        case .malformed: "the body must be a JSON object"
        case .unrecognized: "the body is not valid"
        }
    }
}
