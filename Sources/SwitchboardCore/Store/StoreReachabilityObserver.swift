/// Hears when a store's database is found out of reach and when it is reached again, and how far
/// the database server's clock is from this daemon's (PostgreSQL): where the metrics of outages and
/// clocks are taken, so that the stores stay free of them.
package protocol StoreReachabilityObserver: Sendable {
    func reachabilityChanged(reachable: Bool)
    /// The server's clock minus this daemon's, at a reading.
    func clockOffsetMeasured(_ offset: Duration)
}
