import Foundation
import SwitchboardCore
import SwitchboardJSON
import Testing

@testable import SwitchboardServer

/// `MessageAnswer` is written by hand now; it must say what Hummingbird's `JSONEncoder` (ISO 8601
/// dates, nil fields left out) said for the same message.
@Suite struct MessageAnswerTests {
    /// The answer as it was encoded before: the old `Encodable` form, field for field.
    struct EncodedBody: Encodable {
        var id, status, app, kind, to, country, route, sender, text: String
        var provider: String?
        var providerMessageID: String?
        var encoding: String
        var segments: Int
        var attempts: [AttemptAnswer]
        var createdAt: Date
        var updatedAt: Date

        init(_ body: MessageAnswer) {
            (id, status, app, kind, to, country, route, sender, text) = (
                body.id, body.status, body.app, body.kind, body.to, body.country, body.route, body.sender, body.text
            )
            (provider, providerMessageID, encoding, segments, attempts) = (
                body.provider, body.providerMessageID, body.encoding, body.segments, body.attempts
            )
            (createdAt, updatedAt) = (body.createdAt, body.updatedAt)
        }

        enum CodingKeys: String, CodingKey {
            case id, status, app, kind, to, country, route, sender, text, provider, encoding, segments, attempts
            case providerMessageID = "provider_message_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    static func record(seed: Int) -> MessageRecord {
        let base = Date(timeIntervalSince1970: 1_700_000_000 + Double(seed) * 7_919.123_457)
        var attempts: [DeliveryAttempt] = []
        for index in 0..<(seed % 4) {
            let latency = Int64(seed) * 1_237 + Int64(index)
            let message: String? = seed % 2 == 0 ? "line\nbreak \"q\" é 😀" : nil
            attempts.append(
                DeliveryAttempt(
                    provider: "p\(index)/x",
                    outcome: index == 2 ? .accepted : .retryable,
                    providerCode: index == 0 ? nil : "E\(index)",
                    providerMessage: message,
                    providerMessageID: index == 2 ? "SM\(seed)" : nil,
                    latencyMicroseconds: latency,
                    startedAt: base.addingTimeInterval(Double(index) * 0.731)
                )
            )
        }
        return MessageRecord(
            id: "msg_\(seed)",
            app: "demo",
            kind: seed % 2 == 0 ? .otp : .transactional,
            to: "+4477009001\(seed % 100)",
            country: "GB",
            route: "uk/\(seed)",
            sender: "DemoUK",
            loggedText: "Your code is ****** \u{1} tab\t",
            encoding: .gsm7,
            segments: 1 + seed % 3,
            status: seed % 3 == 0 ? .failed : .accepted,
            provider: seed % 5 == 0 ? nil : "p2",
            providerMessageID: seed % 2 == 0 ? "SM\(seed)" : nil,
            attempts: attempts,
            createdAt: base,
            updatedAt: base.addingTimeInterval(1.5)
        )
    }

    @Test func saysWhatTheEncoderSaid() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for seed in 0..<200 {
            let body = MessageAnswer(Self.record(seed: seed))
            var writer = JSONWriter()
            body.write(to: &writer)
            let ours = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: encoder.encode(EncodedBody(body))) as? NSDictionary
            #expect(ours != nil && ours == theirs, "\(String(decoding: writer.bytes, as: UTF8.self))")
        }
    }

    @Test func timestampsMatchTheEncoder() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var dates = [0, -0.5, 0.999, 59.999_999, 951_782_400, 1_709_164_800.25, 4_102_444_799.9, 253_402_300_799].map(
            Date.init(timeIntervalSince1970:)
        )
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: Double(state >> 33) / 1_000))
        }
        for date in dates {
            let theirs = String(decoding: try encoder.encode([date]), as: UTF8.self)
            #expect("[\"\(ISO8601Timestamp.string(date))\"]" == theirs)
        }
    }
}
