import ArgumentParser

/// `switchboard reload`: asks the running daemon to read its configuration again.
struct Reload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reload the running daemon's configuration; on any problem it keeps the running one and this exits 1 with every problem."
    )

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        do {
            let client = try AdminClient(admin)
            let (status, body) = try await client.call(.post, "/admin/reload")
            guard status == 200 else {
                printError(AdminClient.describeError(status: status, body: body))
                throw ExitCode.failure
            }
            print(body)
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }
}
