import Crypto
import Foundation
package import SwitchboardJSON

/// Claims that write themselves as a token's payload.
package protocol JWTClaimsWriting: Sendable {
    func write(to writer: inout JSONWriter)
}

/// Signs tokens with one ES256 key, in JWS compact form (RFC 7515): the header is encoded once,
/// the claims are written straight to bytes, and signing takes no hop to another executor. Tokens
/// are checked with jwt-kit, which reads them as its own.
struct ES256Signer: Sendable {
    private let key: P256.Signing.PrivateKey
    /// The encoded header and the dot after it: the same for every token.
    private let headerPart: [UInt8]

    init(key: P256.Signing.PrivateKey, kid: String) {
        self.key = key
        var header = JSONWriter(capacity: 64)
        header.beginObject()
        header.member("alg", "ES256")
        header.member("kid", kid)
        header.member("typ", "JWT")
        header.endObject()
        var part: [UInt8] = []
        Base64URL.append(header.bytes, to: &part)
        part.append(UInt8(ascii: "."))
        headerPart = part
    }

    /// The token: header, claims and the signature of both (r ‖ s, as JWS has it).
    func sign(_ claims: some JWTClaimsWriting) throws -> String {
        var payload = JSONWriter(capacity: 512)
        claims.write(to: &payload)
        var token = headerPart
        token.reserveCapacity(headerPart.count + payload.bytes.count * 4 / 3 + 90)
        Base64URL.append(payload.bytes, to: &token)
        let signature = try key.signature(for: token)
        token.append(UInt8(ascii: "."))
        Base64URL.append(signature.rawRepresentation, to: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
