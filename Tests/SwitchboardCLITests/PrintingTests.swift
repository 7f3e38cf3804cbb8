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
}
