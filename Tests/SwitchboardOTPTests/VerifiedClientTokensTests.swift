import Testing

@testable import SwitchboardOTP

@Suite("Verified client tokens")
struct VerifiedClientTokensTests {
    private func claims(_ id: String) -> ClientTokenClaims {
        ClientTokenClaims(
            sub: id, iss: "https://issuer.test", aud: "userid-api", exp: 2_000_000_000, iat: 1_900_000_000, jti: id,
            client_id: id, app_id: "app", app_name: "App", scope: "openid", token_use: "client"
        )
    }

    @Test func remembersCheckedTokensAndNothingElse() {
        let tokens = VerifiedClientTokens()
        #expect(tokens.claims(of: "a.b.c") == nil)
        tokens.remember("a.b.c", claims("one"))
        #expect(tokens.claims(of: "a.b.c") == claims("one"))
        #expect(tokens.claims(of: "a.b.d") == nil)
    }

    @Test func startsAgainWhenFull() {
        let tokens = VerifiedClientTokens(capacity: 2)
        tokens.remember("first", claims("1"))
        tokens.remember("second", claims("2"))
        tokens.remember("third", claims("3"))
        #expect(tokens.claims(of: "first") == nil)
        #expect(tokens.claims(of: "second") == nil)
        #expect(tokens.claims(of: "third") == claims("3"))
    }
}
