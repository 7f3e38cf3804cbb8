import Foundation
import HTTPTypes
import Testing

/// A create whose identifiers disagree with the user they match is refused, never merged.
@Suite("User identity conflicts")
struct UserConflictTests {
    @Test func identifiersThatDisagreeWithAUserAre409NamingTheFieldAndNeverReturnTheUser() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let carol = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900171", "username": "carol171", "custom_data": {"secret": "s"}}"#)
            #expect(carol.status == .created)

            let mismatched = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900172", "username": "carol171"}"#)
            #expect(mismatched.status == .conflict)
            #expect(Set(mismatched.json.keys) == ["message", "error_code", "ts_error_code"])
            #expect(mismatched.json["error_code"] as? Int == 409)
            #expect(mismatched.json["ts_error_code"] as? String == "identifier_conflict")
            #expect((mismatched.json["message"] as? String)?.hasPrefix("phone_number ") == true, "\(mismatched.text)")
            #expect(!mismatched.text.contains("+447700900171"))
            // Nothing was stored under the phone sent.
            #expect(try await client.get("/cis/v1/users/phone-number/+447700900172", token: token).status == .notFound)

            // Identifiers of two different users.
            #expect(try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900181", "email": "bob@example.com"}"#).status == .created)
            let two = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900171", "email": "bob@example.com"}"#)
            #expect(two.status == .conflict)
            #expect((two.json["message"] as? String)?.hasPrefix("email ") == true, "\(two.text)")
            #expect(two.json["result"] == nil)

            // The same identifiers again keep today's answer: taken in this app.
            let again = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900171", "username": "carol171"}"#)
            #expect(again.status == .conflict)
            #expect(again.json["ts_error_code"] as? String == "identifier_taken")
        }
    }
}
