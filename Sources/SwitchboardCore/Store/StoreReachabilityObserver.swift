/// Hears when a store's database is found out of reach and when it is reached again (PostgreSQL):
/// where the metrics of outages are taken, so that the stores stay free of them.
package protocol StoreReachabilityObserver: Sendable {
    func reachabilityChanged(reachable: Bool)
}
