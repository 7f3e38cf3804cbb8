import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardStore

/// `switchboard messages`: read the message log, for example the messages a stopped daemon left
/// `interrupted` (`--status interrupted`).
struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the message log: status, route, provider and every attempt of the latest messages."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Only messages in this status: \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    var status: MessageStatus?

    @OptionGroup var recent: RecentMessagesOptions

    func run() async throws {
        do {
            let config = try ConfigFile.load(options.config, providers: options.providers)
            let number = try recent.number()
            let records = try await StoreOpener.withStore(config.storage, logger: Logger(label: "switchboard")) { store in
                try await store.recentMessages(to: number, status: status, limit: recent.last)
            }
            if records.isEmpty {
                print("No messages\(status.map { " \($0.rawValue)" } ?? "")\(number.map { " to \($0)" } ?? "").")
            }
            // Oldest first, as the inbox prints, so the newest ends up next to the prompt.
            for record in records.reversed() { print(MessageFormat.render(record)) }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }
}

extension MessageStatus: ExpressibleByArgument {}

/// How a logged message is printed: a header line, one line per attempt, then the text indented.
///
/// Every stored value is printed with its control characters written out (`\u{1B}`): texts, and
/// provider messages, which come from outside.
enum MessageFormat {
    static func render(_ record: MessageRecord) -> String {
        func line(_ text: String) -> String { ControlCharacter.escaped(text, keepingLineFeeds: false) }
        let time = record.createdAt.formatted(.iso8601)
        var lines = [
            "\(record.id)  \(time)  \(record.status.rawValue)  \(line(record.app)) \(record.kind.rawValue) to \(line(record.to)) (\(record.country))"
                + "  route \(line(record.route)), sender \(line(record.sender.isEmpty ? "-" : record.sender))"
                + "  \(record.encoding.rawValue), \(record.segments) segment(s)"
        ]
        for (number, attempt) in record.attempts.enumerated() {
            let said = [attempt.providerCode, attempt.providerMessage, attempt.providerMessageID.map { "id \($0)" }].compactMap { $0 }
            lines.append("  \(number + 1). \(line(attempt.provider)) \(attempt.outcome.rawValue)\(said.isEmpty ? "" : ": " + line(said.joined(separator: ", ")))")
        }
        for receipt in record.receipts {
            let time = receipt.receivedAt.formatted(.iso8601)
            let meaning = receipt.status.map { " (\($0.rawValue))" } ?? " (moves nothing)"
            let code = receipt.errorCode.map { ", error \(line($0))" } ?? ""
            lines.append("  receipt \(time) \(line(receipt.providerStatus))\(meaning)\(code)")
        }
        if !record.receipts.isEmpty {
            lines.append("  lifecycle: " + record.statusHistory.map { "\($0.status.rawValue) \($0.at.formatted(.iso8601))" }.joined(separator: " → "))
        }
        lines.append(InboxFormat.indented(record.loggedText))
        return lines.joined(separator: "\n")
    }
}
