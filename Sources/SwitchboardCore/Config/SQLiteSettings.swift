/// `storage.sqlite:` — the database file, and what a commit must survive.
package struct SQLiteSettings: Sendable, Equatable, CustomStringConvertible {
    /// What a committed write survives: the trade between safety and the cost of a commit.
    package enum Durability: String, Sendable, Equatable, CaseIterable {
        /// A commit returns once the disk has it (`synchronous=FULL`): it survives a power cut.
        case powerLoss = "power_loss"
        /// A commit returns once the operating system has it (`synchronous=NORMAL` in WAL mode):
        /// it survives `kill -9` of the daemon, not a power cut or a kernel crash, which can lose
        /// the last commits (never the file itself). Cheaper, since no commit waits for the disk.
        case processCrash = "process_crash"
    }

    package var path: String
    package var durability: Durability

    package init(path: String, durability: Durability = .powerLoss) {
        self.path = path
        self.durability = durability
    }

    /// `sqlite:PATH`, and the durability when it is not the default.
    package var description: String {
        durability == .powerLoss ? "sqlite:\(path)" : "sqlite:\(path) (durability \(durability.rawValue))"
    }
}
