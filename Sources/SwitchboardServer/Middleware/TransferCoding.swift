import HTTPTypes
import Hummingbird
import SwitchboardCore

/// A request body's transfer coding, which only `chunked` may be.
enum TransferCoding {
    /// Exactly the `chunked` coding, in any letter case: the only one the decoder frames.
    static func isChunked(_ coding: String) -> Bool {
        coding.utf8.trimmingASCIIBlanks().equalsIgnoringASCIICase("chunked".utf8)
    }

    /// The `501` for a request whose body has a transfer coding other than `chunked` (RFC 9112
    /// §6.1): its length cannot be known, so its body is never read as anything. The connection is
    /// closed after the answer (``ConnectionPersistenceHandler``), since where the next request would
    /// start is unknown too. `nil` for every other request.
    static func refusal(of request: Request) -> APIError? {
        guard let coding = request.headers[.transferEncoding], !isChunked(coding) else { return nil }
        return APIError(
            status: .notImplemented, code: "unsupported_transfer_encoding",
            message: "Transfer-Encoding '\(coding)' is not supported; send the body with Content-Length or Transfer-Encoding: chunked"
        )
    }
}
