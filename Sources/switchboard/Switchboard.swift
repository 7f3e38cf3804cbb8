import ArgumentParser

/// The `switchboard` command: run the daemon, check configuration, explain routes, send, read the inbox and the message log.
@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A self-hosted SMS-OTP login service and SMS provider gateway.",
        subcommands: [Serve.self, Check.self, Route.self, Send.self, Inbox.self, Messages.self, Reload.self, Admin.self, Purge.self]
    )
}

/// `--config PATH`, shared by every subcommand.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = "config.yaml"

    @Option(name: .long, help: "The provider definitions folder (default: 'providers' next to the configuration file).")
    var providers: String?
}
