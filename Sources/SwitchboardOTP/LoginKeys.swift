import Crypto
import Synchronization
import SwitchboardCore

/// The code-hashing key and the token issuer, loaded from the store once.
///
/// A lock, not an actor: every request asks for the keys, and once they are loaded the answer
/// should not cost a hop to another executor.
final class LoginKeys: Sendable {
    private typealias Keys = (codeKey: SymmetricKey, issuer: TokenIssuer)
    private let store: any LoginStore
    private let issuerName: String
    private let loaded = Mutex<Keys?>(nil)

    init(store: any LoginStore, issuer: String) {
        self.store = store
        self.issuerName = issuer
    }

    func get() async throws -> (codeKey: SymmetricKey, issuer: TokenIssuer) {
        if let keys = loaded.withLock({ $0 }) { return keys }
        let candidate = SecureRandom.bytes(32)
        let codeKey = SymmetricKey(data: try await store.secret(named: LoginService.codeKeyName, orInsert: candidate))
        let issuer = try await TokenIssuer.load(store: store, issuer: issuerName)
        // Another call may have loaded meanwhile; the store made both load the same keys.
        return loaded.withLock { loaded in
            if let keys = loaded { return keys }
            loaded = (codeKey, issuer)
            return (codeKey, issuer)
        }
    }
}
