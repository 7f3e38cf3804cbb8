import Foundation
import SwitchboardCore

/// Test data builders.
enum Fixtures {
    /// An instant a whole number of microseconds after 2001-01-01, which every store keeps exactly.
    static func instant(_ seconds: Int64, micros: Int64 = 0) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    /// A record with every field set, attempts included.
    static func record(
        id: String = "msg_01",
        to: String = "+447700900123",
        createdAt: Date = instant(800_000_000, micros: 123_456),
        attempts: [DeliveryAttempt]? = nil
    ) -> MessageRecord {
        MessageRecord(
            id: id,
            app: "acme",
            kind: .otp,
            to: to,
            country: "GB",
            route: "uk",
            sender: "ACME",
            loggedText: "****** is your Acme code. Don't share it.",
            encoding: .gsm7,
            segments: 1,
            status: .accepted,
            provider: "twilio",
            providerMessageID: "SM123",
            attempts: attempts ?? [
                DeliveryAttempt(
                    provider: "sfmc",
                    outcome: .retryable,
                    providerCode: "503",
                    providerMessage: "Service Unavailable",
                    providerMessageID: nil,
                    latencyMicroseconds: 1_234_567,
                    startedAt: createdAt
                ),
                DeliveryAttempt(
                    provider: "twilio",
                    outcome: .accepted,
                    providerCode: nil,
                    providerMessage: nil,
                    providerMessageID: "SM123",
                    latencyMicroseconds: 89_012,
                    startedAt: createdAt.addingTimeInterval(1.234567)
                ),
            ],
            createdAt: createdAt,
            updatedAt: createdAt.addingTimeInterval(1.5)
        )
    }

    /// A message for the inbox.
    static func inbox(
        to: String = "+447700900123",
        text: String = "123456 is your Acme code.",
        at seconds: Int64 = 800_000_000
    ) -> InboxMessage {
        InboxMessage(
            id: "default-\(UUID().uuidString)",
            messageID: "msg-\(UUID().uuidString)",
            to: to,
            from: "ACME",
            text: text,
            encoding: .gsm7,
            segments: 1,
            receivedAt: instant(seconds, micros: 654_321)
        )
    }
}
