/// Hears when a store's database is found out of reach and when it is reached again, when one of
/// its connections is found to lead nowhere, and how far the database server's clock is from this
/// daemon's (PostgreSQL): where the metrics of outages, connections and clocks are taken, so that
/// the stores stay free of them.
package protocol StoreReachabilityObserver: Sendable {
    func reachabilityChanged(reachable: Bool)
    /// A connection was found stranded (its statements never reach the server, which answers
    /// others) and closed.
    func connectionStranded()
    /// The server's clock minus this daemon's, at a reading.
    func clockOffsetMeasured(_ offset: Duration)
}
