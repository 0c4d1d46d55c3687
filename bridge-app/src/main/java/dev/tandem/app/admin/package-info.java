/**
 * The operator's HTTP API (docs/admin.md): its own Jetty listener ({@link
 * dev.tandem.app.admin.AdminServer}), bearer-token authentication with throttled failures, one
 * route table ({@link dev.tandem.app.admin.AdminRoute}) that docs/admin-openapi.yaml is checked
 * against, and the operations ({@link dev.tandem.app.admin.AdminService}): reads are snapshots
 * taken on the signaling loop; drain ({@link dev.tandem.app.admin.Drain}) and reload ({@link
 * dev.tandem.app.ConfigReload}) act on the running bridge.
 */
package dev.tandem.app.admin;
