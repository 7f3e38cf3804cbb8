import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// The optional fields of `POST /cis/v1/users` come back, as Mosaic's `ApiUser` has them, in the
/// answer of the create and of the lookup by phone number.
@Suite("Optional user fields in answers", .timeLimit(.minutes(3)))
struct UserFieldsTests {
    static let body = """
        {"phone_number": "+447700900123", "email": "ada@example.com", "username": "ada1815", \
        "name": {"first_name": "Ada", "last_name": "Lovelace"}, "external_user_id": "crm-1815", \
        "custom_data": {"plan": "gold", "seats": 3, "tags": ["beta"]}}
        """

    static func expectAllFields(_ user: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            Set(user.keys) == [
                "user_id", "status", "created_at", "updated_at", "app_name", "phone_number", "email", "username", "name", "external_user_id",
                "custom_data",
            ],
            sourceLocation: sourceLocation
        )
        #expect(user["app_name"] as? String == "Demo", sourceLocation: sourceLocation)
        #expect(canonical(user["email"]) == #"{"email_verified":false,"value":"ada@example.com"}"#, sourceLocation: sourceLocation)
        #expect(user["username"] as? String == "ada1815", sourceLocation: sourceLocation)
        #expect(canonical(user["name"]) == #"{"first_name":"Ada","last_name":"Lovelace"}"#, sourceLocation: sourceLocation)
        #expect(user["external_user_id"] as? String == "crm-1815", sourceLocation: sourceLocation)
        #expect(canonical(user["custom_data"]) == #"{"plan":"gold","seats":3,"tags":["beta"]}"#, sourceLocation: sourceLocation)
        #expect(canonical(user["phone_number"]) == #"{"phone_number_verified":false,"value":"\#(OTPTest.phone)"}"#, sourceLocation: sourceLocation)
    }

    @Test func createAndLookupAnswerEveryFieldGiven() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let created = try await client.post("/cis/v1/users", token: token, Self.body)
            #expect(created.status == .created)
            let createdUser = try #require(created.json["result"] as? [String: Any])
            Self.expectAllFields(createdUser)

            let found = try await client.get("/cis/v1/users/phone-number/\(OTPTest.phone)", token: token)
            #expect(found.status == .ok)
            let foundUser = try #require(found.json["result"] as? [String: Any])
            Self.expectAllFields(foundUser)
            #expect(canonical(foundUser) == canonical(createdUser))
        }
    }

    @Test func fieldsNotGivenAreLeftOut() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let created = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900123"}"#)
            let user = try #require(created.json["result"] as? [String: Any])
            #expect(Set(user.keys) == ["user_id", "status", "created_at", "updated_at", "app_name", "phone_number"])
        }
    }

    @Test func anEmailIsKeptInLowerCase() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let created = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900123", "email": "Ada@Example.COM"}"#)
            #expect(canonical((created.json["result"] as? [String: Any])?["email"]) == #"{"email_verified":false,"value":"ada@example.com"}"#)
        }
    }
}

/// A JSON value written with sorted keys, so two answers compare as text; `nil` for no value.
private func canonical(_ value: Any?) -> String? {
    guard let value, JSONSerialization.isValidJSONObject(value),
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: data, as: UTF8.self)
}
