import Foundation
import SwitchboardCore
import SwitchboardJSON
import SwitchboardServer

/// The JSON work of one send, before and after `SwitchboardJSON` replaced Foundation's coders:
/// reading a provider's answer (parse plus a pointer lookup) and writing the API's answer.
enum JSONBenchmark {
    static let benchmark = Benchmark(
        name: "json",
        summary: "parse a Twilio answer + pointer lookup, encode a MessageAnswer and a Mosaic token answer: Foundation vs SwitchboardJSON",
        run: run
    )

    static let answer = Array(
        #"{"sid":"SM1f0e8c2b6a8d4e0f9b7c6d5e4f3a2b1c","status":"queued","num_segments":"1","error_code":null,"error_message":null}"#.utf8
    )

    static func run() {
        let record = sampleRecord()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601  // Hummingbird's default response encoder
        let legacyBody = LegacyMessageAnswer(record)
        let token = (
            access: String(repeating: "a", count: 600), id: String(repeating: "i", count: 700), refresh: "rt_" + String(repeating: "r", count: 40)
        )
        let cases: [(String, (Int) -> Int)] = [
            (
                "parse answer, old (JSONDecoder + replacingOccurrences)",
                { _ in
                    LegacyJSONAnswer.parse(answer)?.value(at: "/sid")?.text?.utf8.count ?? 0
                }
            ),
            (
                "parse answer, new (JSONReader + value(at:))",
                { _ in
                    guard let parsed = try? JSONReader.parse(answer), case .string(let sid)? = parsed.value(at: "/sid") else { return 0 }
                    return sid.utf8.count
                }
            ),
            (
                "encode MessageAnswer, old (JSONEncoder .iso8601)",
                { _ in
                    (try? encoder.encode(legacyBody))?.count ?? 0
                }
            ),
            (
                "encode MessageAnswer, new (JSONWriter)",
                { _ in
                    var writer = JSONWriter(capacity: 512)
                    MessageAnswer(record).write(to: &writer)
                    return writer.bytes.count
                }
            ),
            (
                "encode Mosaic token answer, old (JSONSerialization .sortedKeys)",
                { _ in
                    let object: [String: Any] = [
                        "access_token": token.access, "id_token": token.id, "refresh_token": token.refresh, "token_type": "Bearer",
                        "expires_in": 3600,
                        "session_id": "ses_01JD8X6Q4W2R9T7Y5U3I1O0P",
                    ]
                    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))?.count ?? 0
                }
            ),
            (
                "encode Mosaic token answer, new (JSONWriter, sorted)",
                { _ in
                    let object: JSON = [
                        "access_token": .string(token.access), "id_token": .string(token.id), "refresh_token": .string(token.refresh),
                        "token_type": "Bearer",
                        "expires_in": .number(3600), "session_id": "ses_01JD8X6Q4W2R9T7Y5U3I1O0P",
                    ]
                    var writer = JSONWriter()
                    writer.value(object, sortingKeysBy: <)
                    return writer.bytes.count
                }
            ),
        ]
        for (label, operation) in cases {
            _ = Measurement(batches: 20, batchSize: 500, operation)  // warm-up
            let measured = Measurement(batches: 200, batchSize: 500, operation)
            let perSecond = 1e9 / measured.median
            print("\(label): median \(Int(measured.median.rounded())) ns, p99 \(Int(measured.p99.rounded())) ns, \(Int(perSecond.rounded())) ops/s")
        }
    }

    static func sampleRecord() -> MessageRecord {
        let now = Date(timeIntervalSince1970: 1_795_000_000.123)
        return MessageRecord(
            id: "msg_01JD8X6Q4W2R9T7Y5U3I1O0P",
            app: "demo",
            kind: .otp,
            to: "+447700900123",
            country: "GB",
            route: "uk",
            sender: "DemoUK",
            loggedText: "****** is your Demo code, valid 10 min.",
            encoding: .gsm7,
            segments: 1,
            status: .accepted,
            provider: "twilio",
            providerMessageID: "SM1f0e8c2b6a8d4e0f9b7c6d5e4f3a2b1c",
            attempts: [
                DeliveryAttempt(
                    provider: "twilio",
                    outcome: .accepted,
                    providerMessageID: "SM1f0e8c2b6a8d4e0f9b7c6d5e4f3a2b1c",
                    latencyMicroseconds: 48_213,
                    startedAt: now
                )
            ],
            createdAt: now,
            updatedAt: now.addingTimeInterval(0.05)
        )
    }
}

/// The provider-answer reader as it was before `SwitchboardJSON`, kept here only to compare.
enum LegacyJSONAnswer: Decodable {
    case object([String: LegacyJSONAnswer])
    case array([LegacyJSONAnswer])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([LegacyJSONAnswer].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: LegacyJSONAnswer].self))
        }
    }

    static func parse(_ bytes: [UInt8]) -> LegacyJSONAnswer? {
        try? JSONDecoder().decode(LegacyJSONAnswer.self, from: Data(bytes))
    }

    func value(at pointer: String) -> LegacyJSONAnswer? {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty ? self : nil }
        var current = self
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    var text: String? {
        switch self {
        case .string(let value), .number(let value): value
        case .bool(let value): value ? "true" : "false"
        case .null, .object, .array: nil
        }
    }
}

/// The API's message answer as `JSONEncoder` wrote it before `MessageAnswer` wrote itself.
struct LegacyMessageAnswer: Encodable {
    struct Attempt: Encodable {
        var provider: String
        var outcome: String
        var providerCode: String?
        var providerMessage: String?
        var providerMessageID: String?
        var latencyMs: Double
        var startedAt: Date

        enum CodingKeys: String, CodingKey {
            case provider, outcome
            case providerCode = "provider_code"
            case providerMessage = "provider_message"
            case providerMessageID = "provider_message_id"
            case latencyMs = "latency_ms"
            case startedAt = "started_at"
        }
    }

    var id, status, app, kind, to, country, route, sender, text: String
    var provider: String?
    var providerMessageID: String?
    var encoding: String
    var segments: Int
    var attempts: [Attempt]
    var createdAt: Date
    var updatedAt: Date

    init(_ record: MessageRecord) {
        (id, status, app, kind, to, country) = (record.id, record.status.rawValue, record.app, record.kind.rawValue, record.to, record.country)
        (route, sender, text, provider, providerMessageID) = (
            record.route, record.sender, record.loggedText, record.provider, record.providerMessageID
        )
        (encoding, segments, createdAt, updatedAt) = (record.encoding.rawValue, record.segments, record.createdAt, record.updatedAt)
        attempts = record.attempts.map {
            Attempt(
                provider: $0.provider,
                outcome: $0.outcome.rawValue,
                providerCode: $0.providerCode,
                providerMessage: $0.providerMessage,
                providerMessageID: $0.providerMessageID,
                latencyMs: Double($0.latencyMicroseconds) / 1000,
                startedAt: $0.startedAt
            )
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, status, app, kind, to, country, route, sender, text, provider, encoding, segments, attempts
        case providerMessageID = "provider_message_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
