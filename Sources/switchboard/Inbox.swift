import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardStore

/// `switchboard inbox`: read what the built-in default provider kept, and optionally keep watching.
struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show messages kept by the built-in default provider.")

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Keep watching and print new messages as they arrive.")
    var follow = false

    @OptionGroup var recent: RecentMessagesOptions

    func run() async throws {
        do {
            let config = try ConfigFile.load(options.config, providers: options.providers)
            let number = try recent.number()
            try await StoreOpener.withStore(config.storage, logger: Logger(label: "switchboard")) { store in
                try await show(store, number: number)
            }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }

    private func show(_ inbox: some InboxStore, number: String?) async throws {
        let shown = try await inbox.latestInbox(to: number, limit: recent.last)
        if shown.isEmpty, !follow {
            print("The inbox is empty\(number.map { " for \($0)" } ?? "").")
        }
        shown.forEach { emit(InboxFormat.render($0)) }
        guard follow else { return }
        var cursor = shown.last?.sequence
        while !Task.isCancelled {
            let fresh = try await inbox.inbox(to: number, after: cursor, limit: 500)
            fresh.forEach { emit(InboxFormat.render($0)) }
            if let newest = fresh.last?.sequence { cursor = newest }
            if fresh.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
        }
    }
}

/// Writes a line straight to standard output: unbuffered, so `--follow` shows messages as they arrive even through a pipe.
private func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// How an inbox message is printed: a header line, then the text indented.
///
/// Stored text is printed with its control characters written out (`\u{1B}`): rows kept before
/// messages were checked for them may hold some, and a terminal would obey them.
enum InboxFormat {
    static func render(_ message: InboxMessage) -> String {
        let time = message.receivedAt.formatted(.iso8601)
        let from = ControlCharacter.escaped(message.from, keepingLineFeeds: false)
        let to = ControlCharacter.escaped(message.to, keepingLineFeeds: false)
        let header = "#\(message.sequence)  \(time)  from \(from) to \(to)  \(message.encoding.rawValue), \(message.segments) segment(s)  \(message.messageID)"
        return header + "\n" + indented(message.text)
    }

    /// `text` with its control characters written out, each line indented under a header.
    static func indented(_ text: String) -> String {
        ControlCharacter.escaped(text, keepingLineFeeds: true)
            .split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
