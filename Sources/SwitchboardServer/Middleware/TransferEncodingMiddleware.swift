import HTTPTypes
import Hummingbird
import SwitchboardCore

/// Answers `501` to a request whose body has a transfer coding other than `chunked` (RFC 9112
/// §6.1): its length cannot be known, so its body is never read as anything. The connection is
/// closed after the answer (``ConnectionPersistenceHandler``), since where the next request would
/// start is unknown too.
struct TransferEncodingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let coding = request.headers[.transferEncoding], !TransferCoding.isChunked(coding) {
            throw APIError(
                status: .notImplemented, code: "unsupported_transfer_encoding",
                message: "Transfer-Encoding '\(coding)' is not supported; send the body with Content-Length or Transfer-Encoding: chunked"
            )
        }
        return try await next(request, context)
    }
}

enum TransferCoding {
    /// Exactly the `chunked` coding, in any letter case: the only one the decoder frames.
    static func isChunked(_ coding: String) -> Bool {
        coding.utf8.trimmingASCIIBlanks().equalsIgnoringASCIICase("chunked".utf8)
    }
}
