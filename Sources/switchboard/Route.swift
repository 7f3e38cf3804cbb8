import ArgumentParser
import Foundation
import SwitchboardCore

/// `switchboard route`: explain how a number would be routed, without sending anything.
struct Route: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain the routing decision for a number.")

    @OptionGroup var options: ConfigOption

    @Argument(help: "The destination, such as +447700900123 or '+1 (415) 555-0100'.")
    var number: String

    @Option(name: .long, help: "The app sending the message (rules may match on it).")
    var app: String?

    @Option(name: .long, help: "The message kind: otp or transactional.")
    var kind: MessageKind = .transactional

    @Flag(name: .long, help: "Print the explanation as JSON.")
    var json = false

    func run() async throws {
        do {
            let (config, catalog) = try ConfigFile.loadWithProviders(options.config, providers: options.providers)
            if let app, config.app(app) == nil {
                throw CommandFailure(SendError.unknownApp(app, known: config.apps.map(\.id)).description)
            }
            let parsed: PhoneNumber
            do {
                parsed = try PhoneNumberParser.parse(number)
            } catch {
                throw CommandFailure("\"\(number)\" is not a valid destination: \(error)")
            }
            let explanation = Router(rules: config.routes).explain(parsed, app: app ?? "", kind: kind)
            let chain = (explanation.matched?.split?.map(\.provider) ?? []) + (explanation.matched?.providers ?? [])
            let verifying = chain.filter { name in
                config.providers.first { $0.name == name }.flatMap { catalog.definitions[$0.type] }?.kind == .verify
            }
            if json {
                let report = RouteReport(
                    input: number, callingCode: parsed.callingCode, nationalNumber: parsed.nationalNumber, explanation: explanation,
                    verifyProviders: verifying
                )
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print("input \"\(number)\" parsed as \(parsed.e164): country \(parsed.region), calling code +\(parsed.callingCode), national number \(parsed.nationalNumber)")
                print(explanation.description)
                if !verifying.isEmpty {
                    print(
                        "  verify providers: \(verifying.joined(separator: ", ")) (they send and check their own code; when one cannot take the OTP, the next provider delivers Switchboard's)"
                    )
                }
            }
            if explanation.matched == nil { throw ExitCode.failure }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }

    /// The JSON form: the number as parsed, then the router's explanation.
    struct RouteReport: Encodable {
        var input: String
        var callingCode: Int
        var nationalNumber: String
        var explanation: RouteExplanation
        /// The matched route's providers that send and check their own code.
        var verifyProviders: [String]

        enum CodingKeys: String, CodingKey {
            case input, explanation
            case verifyProviders = "verify_providers"
            case callingCode = "calling_code"
            case nationalNumber = "national_number"
        }
    }
}
