import Synchronization

/// Client tokens whose signature, issuer and kind have been checked, with their claims.
///
/// A backend sends the same client token with every call for up to an hour, and checking an ES256
/// signature costs more than the rest of the request's authentication; the token's bytes cannot
/// change, so once checked it stays checked. Its times (`nbf`, `exp`) and audience are still
/// checked on every use. The set is
/// bounded: when full it starts again empty, which costs one signature check per live token.
final class VerifiedClientTokens: Sendable {
    private let capacity: Int
    private let tokens = Mutex<[String: ClientTokenClaims]>([:])

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func claims(of token: String) -> ClientTokenClaims? {
        tokens.withLock { $0[token] }
    }

    func remember(_ token: String, _ claims: ClientTokenClaims) {
        tokens.withLock { tokens in
            if tokens.count >= capacity { tokens.removeAll(keepingCapacity: true) }
            tokens[token] = claims
        }
    }
}
