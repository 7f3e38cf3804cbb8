import Foundation
import Hummingbird
import SwitchboardCore
import HummingbirdTesting
import SwitchboardStore
import Testing

/// The optional fields of `POST /v1/messages`: `sender` replaces the route's, `minutes` fills the
/// template, `kind` chooses among routes that match by kind (and is `otp` when `otp` is given).
@Suite("Gateway API send options", .timeLimit(.minutes(3)))
struct SendOptionsTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code, valid {minutes} min."
            otp: { expires_in: 10m }
        providers:
          default: { type: default }
        templates:
          notice: "{app} code {otp}, for {minutes} min."
        routes:
          - { name: uk-otp, match: { countries: [GB], kinds: [otp] }, sender: DemoOTP, providers: [default] }
          - { name: uk-transactional, match: { countries: [GB], kinds: [transactional] }, sender: DemoInfo, providers: [default], template: notice }
        """

    static let to = "+447700900123"

    func send(_ client: any TestClientProtocol, _ body: String) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
        #expect(response.status == .created)
        return try json(response.body)
    }

    @Test("a sender in the request replaces the route's: in the answer, the stored message and what the provider sent")
    func senderOverride() async throws {
        try await withApp { client, store in
            let answer = try await send(client, #"{"to": "\#(Self.to)", "app": "demo", "text": "Hello", "sender": "Parcels"}"#)
            #expect(answer["route"] as? String == "uk-transactional")
            #expect(answer["sender"] as? String == "Parcels")
            let id = try #require(answer["id"] as? String)
            #expect(await store.message(id: id)?.sender == "Parcels")
            let delivered = await store.inbox(to: Self.to, after: nil, limit: 10)
            #expect(delivered.map(\.from) == ["Parcels"])
        }
    }

    @Test("minutes fills {minutes} instead of the app's validity; the stored text masks only the code")
    func minutes() async throws {
        try await withApp { client, store in
            let answer = try await send(client, #"{"to": "\#(Self.to)", "app": "demo", "otp": "482913", "minutes": 3}"#)
            #expect(answer["text"] as? String == "****** is your Demo code, valid 3 min.")
            let delivered = await store.inbox(to: Self.to, after: nil, limit: 10)
            #expect(delivered.map(\.text) == ["482913 is your Demo code, valid 3 min."])
        }
    }

    @Test("without minutes, {minutes} is the app's validity")
    func defaultMinutes() async throws {
        try await withApp { client, store in
            _ = try await send(client, #"{"to": "\#(Self.to)", "app": "demo", "otp": "482913"}"#)
            let delivered = await store.inbox(to: Self.to, after: nil, limit: 10)
            #expect(delivered.map(\.text) == ["482913 is your Demo code, valid 10 min."])
        }
    }

    @Test("kind chooses the route whose kinds match, and is the kind stored", arguments: [
        // Given explicitly, whatever the content.
        (#""text": "Hello", "kind": "otp""#, "otp", "uk-otp", "DemoOTP", "Hello"),
        (#""otp": "482913", "kind": "transactional""#, "transactional", "uk-transactional", "DemoInfo", "Demo code 482913, for 10 min."),
        // Not given: `otp` when the request has an OTP, else transactional.
        (#""otp": "482913""#, "otp", "uk-otp", "DemoOTP", "482913 is your Demo code, valid 10 min."),
        (#""text": "Hello""#, "transactional", "uk-transactional", "DemoInfo", "Hello"),
    ])
    func kind(fields: String, kind: String, route: String, sender: String, delivered: String) async throws {
        try await withApp { client, store in
            let answer = try await send(client, #"{"to": "\#(Self.to)", "app": "demo", \#(fields)}"#)
            #expect(answer["kind"] as? String == kind)
            #expect(answer["route"] as? String == route)
            let id = try #require(answer["id"] as? String)
            let record = try #require(await store.message(id: id))
            #expect(record.kind.rawValue == kind)
            #expect(record.route == route)
            let inbox = await store.inbox(to: Self.to, after: nil, limit: 10)
            #expect(inbox.map(\.from) == [sender])
            #expect(inbox.map(\.text) == [delivered])
        }
    }
}
