import Foundation
import Testing

/// `check` and `serve` with `storage.postgres`: the URL's password never reaches the output.
@Suite("Command line on PostgreSQL", .timeLimit(.minutes(3)))
struct PostgresCommandLineTests {
    @Test("check: accepts storage.postgres and shows the URL without its password")
    func checkShowsTheDatabaseWithoutThePassword() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.storeInPostgres(url: "postgresql://sb:hunter2-secret@db.internal:6543/switchboard?sslmode=require", pool: 30)
        let run = try await switchboard.run(["check"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "stdout: \(run.standardOutput)")
        #expect(lines.last == "storage: postgres://sb@db.internal:6543/switchboard (pool 30, sslmode require: encrypted, the server's certificate not checked)")
        #expect(!run.standardOutput.contains("hunter2") && !run.standardError.contains("hunter2"))
    }

    @Test("check: a socket directory as the host is a Unix-domain socket, shown with its path")
    func checkShowsTheSocket() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.storeInPostgres(url: "postgres://sb:hunter2-secret@:5433/switchboard?host=/run/postgresql", pool: 7)
        let run = try await switchboard.run(["check"])
        #expect(run.status == 0, "stderr: \(run.standardError)")
        #expect(
            run.standardOutput.split(separator: "\n").last
                == "storage: postgres://sb@:5433/switchboard?host=/run/postgresql (pool 7, Unix-domain socket /run/postgresql/.s.PGSQL.5433)"
        )
        #expect(!run.standardOutput.contains("hunter2") && !run.standardError.contains("hunter2"))
    }

    @Test("check: an sslrootcert that does not exist is a problem that names it")
    func checkReadsTheAuthorities() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        let missing = switchboard.folder.appendingPathComponent("db-ca.pem").path
        try switchboard.storeInPostgres(url: "postgres://sb:hunter2-secret@db.internal/switchboard?sslmode=verify-full&sslrootcert=\(missing)")
        let run = try await switchboard.run(["check"])
        #expect(run.status == 1)
        #expect(
            run.standardError.contains("'storage.postgres.url' postgres://sb@db.internal:5432/switchboard: the URL's sslrootcert, \(missing), does not exist"),
            "stderr: \(run.standardError)"
        )
        #expect(!run.standardError.contains("hunter2"))
        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: missing))
        let again = try await switchboard.run(["check"])
        #expect(again.status == 1)
        #expect(again.standardError.contains("the URL's sslrootcert, \(missing), is not a PEM file of certificates"), "stderr: \(again.standardError)")
    }

    @Test("check: a URL without a database is a problem at its line and column, without the password")
    func checkReportsABadURLWithoutThePassword() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        try switchboard.storeInPostgres(url: "postgres://sb:hunter2-secret@db.internal:6543")
        let run = try await switchboard.run(["check"])
        #expect(run.status == 1)
        let config = try String(contentsOf: URL(fileURLWithPath: switchboard.configPath), encoding: .utf8)
        let line = try #require(config.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("postgres:") }) + 1
        #expect(run.standardError.hasPrefix("\(switchboard.configPath):\(line):20: 'storage.postgres.url' has no database name"), "stderr: \(run.standardError)")
        #expect(!run.standardError.contains("hunter2"))
    }

    @Test("serve: a database it cannot reach stops it with status 1, naming the database without the password")
    func serveWithAnUnreachableDatabaseFailsWithoutThePassword() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        try switchboard.storeInPostgres(url: "postgres://sb:hunter2-secret@127.0.0.1:1/switchboard?sslmode=disable")
        let run = try await switchboard.run(["serve"])
        #expect(run.status == 1)
        #expect(
            run.standardError.contains("cannot open the PostgreSQL database postgres://sb@127.0.0.1:1/switchboard: "),
            "stderr: \(run.standardError)"
        )
        #expect(!run.standardError.contains("hunter2"))
    }

    @Test("serve: a socket that is not there stops it with status 1, naming the socket")
    func serveWithoutTheSocketFailsNamingIt() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        // Short, so the socket's path fits whatever the temporary folder is; nothing makes it.
        let directory = "/tmp/sb-no-postgres-\(UUID().uuidString.prefix(8))"
        try switchboard.storeInPostgres(url: "postgres://sb:hunter2-secret@/switchboard?host=\(directory)")
        let run = try await switchboard.run(["serve"])
        #expect(run.status == 1)
        #expect(
            run.standardError.contains(
                "cannot open the PostgreSQL database postgres://sb@:5432/switchboard?host=\(directory) through the socket \(directory)/.s.PGSQL.5432: "
            ),
            "stderr: \(run.standardError)"
        )
        #expect(!run.standardError.contains("hunter2"))
    }
}
