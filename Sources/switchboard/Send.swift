import ArgumentParser
import Logging
import SwitchboardCore
import SwitchboardStore
import SwitchboardProviders

/// `switchboard send`: send one message through the gateway, as the API would.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send one message through the gateway.")

    @OptionGroup var options: ConfigOption

    @Argument(help: "The destination, such as +447700900123.")
    var number: String

    @Option(name: .long, help: "The app, as named under 'apps' in the configuration.")
    var app: String

    @Option(name: .long, help: "The text to send.")
    var text: String?

    @Option(name: .long, help: "An OTP code to put in the app's (or route's) template instead of --text.")
    var otp: String?

    @Option(name: .long, help: "The message kind: otp or transactional (default: otp with --otp, else transactional).")
    var kind: MessageKind?

    @Option(name: .long, help: "Override the route's sender.")
    var sender: String?

    func validate() throws {
        if (text == nil) == (otp == nil) {
            throw ValidationError("give exactly one of --text and --otp")
        }
    }

    func run() async throws {
        do {
            let (config, catalog) = try ConfigFile.loadWithProviders(options.config, providers: options.providers)
            let logger = Logger(label: "switchboard")
            let senderID = try sender.map { text in
                do { return try SenderID(parsing: text) } catch { throw CommandFailure("--sender: \(error)") }
            }
            let content: MessageContent = text.map { .text($0) } ?? .template(otp: otp, minutes: nil)
            let request = SendRequest(
                to: number, app: app, kind: kind ?? (otp == nil ? .transactional : .otp), content: content, sender: senderID
            )
            let outcome = try await StoreOpener.withStore(config.storage, logger: logger) { store in
                let http = HTTPClientService.makeShared()
                // No background work: one send saves its pending record before the providers are
                // called, so nothing is left running when the store closes after.
                let alarms = Alarms()
                let gateway = makeGateway(
                    config: config, store: store, inbox: store, catalog: catalog, transport: http.transport, background: nil, alarms: alarms
                ).gateway
                // The timer of the send's cut-offs runs beside it, and stops with it.
                let outcome = await withDiscardingTaskGroup { group in
                    group.addTask { await alarms.runUntilFinished() }
                    defer { alarms.finish() }
                    return await Result(catching: { try await gateway.send(request, logger: logger) })
                }
                try await http.service.shutdown()
                return outcome
            }
            do {
                let result = try outcome.get()
                print("\(result.messageID) accepted by \(result.provider) via route \(result.route) (\(result.country)), \(result.encoding.rawValue), \(result.segments) segment(s)")
            } catch let error as SendError {
                throw CommandFailure(error.description)
            }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }
}

extension MessageKind: ExpressibleByArgument {}
