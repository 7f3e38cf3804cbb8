import Foundation
import SwitchboardCore
import Testing

@testable import switchboard

/// What the command line prints of stored text: never a raw control character, since rows written
/// before messages were checked for them may hold some, and a terminal obeys them.
@Suite("Printing stored text")
struct PrintingTests {
    static let hostile = "Alert \u{1B}[31mred\u{1B}[0m\u{0} done\rhidden\u{7F}\u{9B}2J\nsecond\tline"

    static func rawControls(in text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { $0 != "\n" && $0 != "\t" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }
    }

    @Test("switchboard inbox writes control characters out, keeping lines and tabs")
    func inbox() {
        let message = InboxMessage(
            sequence: 7, id: "dp_1", messageID: "msg_1", to: "+447700900123", from: "Demo\u{1B}", text: Self.hostile,
            encoding: .gsm7, segments: 1, receivedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        let printed = InboxFormat.render(message)
        #expect(Self.rawControls(in: printed).isEmpty)
        #expect(printed.contains(#"from Demo\u{1B} to +447700900123"#))
        #expect(printed.hasSuffix(#"    Alert \u{1B}[31mred\u{1B}[0m\u{0} done\u{D}hidden\u{7F}\u{9B}2J"# + "\n    second\tline"))
    }

    @Test("switchboard messages writes control characters out, provider messages included")
    func messages() {
        let record = MessageRecord(
            id: "msg_1", app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "uk", sender: "DemoUK",
            loggedText: Self.hostile, encoding: .gsm7, segments: 1, status: .interrupted,
            attempts: [
                DeliveryAttempt(provider: "twilio", outcome: .retryable, providerCode: "20500", providerMessage: "bad\u{1B}]0;owned\u{7}", latencyMicroseconds: 1, startedAt: Date()),
                InterruptedMessages.note(at: Date()),
            ],
            createdAt: Date(timeIntervalSince1970: 1_800_000_000), updatedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        let printed = MessageFormat.render(record)
        #expect(Self.rawControls(in: printed).isEmpty)
        let lines = printed.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("msg_1") == true)
        #expect(lines.first?.contains("interrupted") == true)
        #expect(lines[1] == #"  1. twilio retryable: 20500, bad\u{1B}]0;owned\u{7}"#)
        #expect(lines[2].hasPrefix("  2. (unknown) ambiguous: interrupted, the daemon stopped"))
        #expect(lines.last == "    second\tline")
    }

    @Test("switchboard messages prints each receipt and the lifecycle, provider statuses written out")
    func receipts() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let record = MessageRecord(
            id: "msg_2", app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "uk", sender: "DemoUK",
            loggedText: "Hello", encoding: .gsm7, segments: 1, status: .accepted, provider: "twilio", providerMessageID: "SM1",
            attempts: [DeliveryAttempt(provider: "twilio", outcome: .accepted, providerMessageID: "SM1", latencyMicroseconds: 1_000_000, startedAt: start)],
            createdAt: start, updatedAt: start
        ).withReceipts([
            DeliveryReceipt(provider: "twilio", providerMessageID: "SM1", providerStatus: "sent", status: .sent, errorCode: nil, receivedAt: start + 2),
            DeliveryReceipt(provider: "twilio", providerMessageID: "SM1", providerStatus: "odd\u{1B}", status: nil, errorCode: nil, receivedAt: start + 3),
            DeliveryReceipt(provider: "twilio", providerMessageID: "SM1", providerStatus: "undelivered", status: .undelivered, errorCode: "30003", receivedAt: start + 4),
        ])
        let printed = MessageFormat.render(record)
        #expect(Self.rawControls(in: printed).isEmpty)
        let lines = printed.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("  undelivered  ") == true)
        #expect(lines[2] == "  receipt 2027-01-15T08:00:02Z sent (sent)")
        #expect(lines[3] == #"  receipt 2027-01-15T08:00:03Z odd\u{1B} (moves nothing)"#)
        #expect(lines[4] == "  receipt 2027-01-15T08:00:04Z undelivered (undelivered), error 30003")
        #expect(lines[5] == "  lifecycle: accepted 2027-01-15T08:00:01Z → sent 2027-01-15T08:00:02Z → undelivered 2027-01-15T08:00:04Z")
    }
}
