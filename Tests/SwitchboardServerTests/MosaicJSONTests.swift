import Foundation
import SwitchboardJSON
import Testing

@testable import SwitchboardServer

/// Mosaic answers must stay the bytes `JSONSerialization` wrote (`.sortedKeys`,
/// `.withoutEscapingSlashes`), including the order of names from clients' own objects.
@Suite struct MosaicJSONTests {
    @Test func matchesJSONSerializationForAnyNames() throws {
        var state: UInt64 = 0xC0FFEE
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let alphabet = Array("abcxyzABCXYZ0123456789_-.")
        for _ in 0..<300 {
            var object = JSONObject()
            var foundation: [String: Any] = [:]
            for _ in 0..<(1 + next() % 8) {
                let name = String((0..<(1 + next() % 6)).map { _ in alphabet[next() % alphabet.count] })
                let value = next() % 1000
                object[name] = .number(value)
                foundation[name] = value
            }
            let theirs = try JSONSerialization.data(
                withJSONObject: ["custom_data": foundation, "user_id": "u/1"],
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
            let ours = MosaicJSON.bytes(["custom_data": .object(object), "user_id": "u/1"])
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
        }
    }

    @Test func matchesJSONSerializationForOurAnswers() throws {
        let ours = MosaicJSON.bytes([
            "result": [
                "user_id": "usr_1", "status": "active", "created_at": 1_700_000_000_123, "updated_at": 1_700_000_000_456, "app_name": "Demo",
                "phone_number": ["value": "+447700900123", "phone_number_verified": true, "verified_at": 1_700_000_000_789],
                "email": ["value": "a@example.com", "email_verified": false], "username": "ada", "external_user_id": "ext/1",
            ]
        ])
        let user: [String: Any] = [
            "user_id": "usr_1", "status": "active", "created_at": 1_700_000_000_123, "updated_at": 1_700_000_000_456, "app_name": "Demo",
            "phone_number": ["value": "+447700900123", "phone_number_verified": true, "verified_at": 1_700_000_000_789] as [String: Any],
            "email": ["value": "a@example.com", "email_verified": false] as [String: Any], "username": "ada", "external_user_id": "ext/1",
        ]
        let theirs = try JSONSerialization.data(withJSONObject: ["result": user], options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
    }
}
