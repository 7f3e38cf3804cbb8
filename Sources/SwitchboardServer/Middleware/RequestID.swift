import HTTPTypes
import Hummingbird
import Logging

/// Every request's id: the caller's `X-Request-ID` when it is a sane token, else the one Hummingbird
/// made. ``RequestEnvelopeMiddleware`` puts it on every log line of the request (`hb.request.id`)
/// and in the answer's `X-Request-ID`, errors included.
enum RequestID {
    static let header = HTTPField.Name("X-Request-ID")!

    /// The request's id, which `logger` then carries. Never inlined: what it needs stays out of the
    /// frame of the async function that calls it, which every request in flight keeps.
    @inline(never)
    static func identify(_ request: Request, logger: inout Logger) -> String {
        if let given = request.headers[header], accepts(given) {
            logger[metadataKey: LineLogHandler.requestIDKey] = .string(given)
            return given
        }
        if let made = logger[metadataKey: LineLogHandler.requestIDKey]?.description {
            // Already on the logger: setting it again would copy the logger's metadata for nothing.
            return made
        }
        // A context made without Hummingbird's id (in-process tests): make one the same size.
        let id = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        logger[metadataKey: LineLogHandler.requestIDKey] = .string(id)
        return id
    }

    /// Up to 128 characters of letters, digits and `-_.:/+=@`: what UUIDs, trace ids and base64
    /// tokens are made of, and nothing that could break a log line or a header.
    static func accepts(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "+"),
                UInt8(ascii: "="), UInt8(ascii: "@"):
                true
            default: false
            }
        }
    }
}
