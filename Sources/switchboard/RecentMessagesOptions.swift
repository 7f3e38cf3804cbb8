import ArgumentParser
import SwitchboardCore

/// `--to` and `--last`, as the commands that print stored messages (`inbox`, `messages`) take them.
struct RecentMessagesOptions: ParsableArguments {
    @Option(name: .long, help: "Only messages to this number.")
    var to: String?

    @Option(name: .long, help: "How many of the latest messages to show.")
    var last: Int = 20

    func validate() throws {
        guard (1...10_000).contains(last) else { throw ValidationError("--last must be from 1 to 10000") }
    }

    /// `--to` in E.164, or `nil` when it was not given.
    /// - Throws: ``CommandFailure`` naming the value when it is not a phone number.
    func number() throws -> String? {
        guard let to else { return nil }
        do {
            return try PhoneNumberParser.parse(to).e164
        } catch {
            throw CommandFailure("--to: \"\(to)\" is not a valid number: \(error)")
        }
    }
}
