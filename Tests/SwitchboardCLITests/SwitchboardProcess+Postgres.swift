import Foundation

extension SwitchboardProcess {
    /// Rewrites this folder's configuration to keep its state in the PostgreSQL database at `url`
    /// instead of the folder's SQLite file.
    func storeInPostgres(url: String, pool: Int = 4) throws {
        let config = try String(contentsOf: URL(fileURLWithPath: configPath), encoding: .utf8)
        let sqlite = "sqlite: \(folder.path)/data/switchboard.sqlite"
        guard config.contains(sqlite) else { throw ShippedConfigChanged() }
        try write(config.replacingOccurrences(of: sqlite, with: "postgres: { url: \"\(url)\", pool: \(pool) }"), to: "config.yaml")
    }
}
