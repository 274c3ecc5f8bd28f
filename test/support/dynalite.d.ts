/**
 * Types of `dynalite` 4 (it ships none): `dynalite(options)` returns a Node.js `http.Server` answering
 * the DynamoDB JSON API, in memory unless `path` is given; tables stay `CREATING` for `createTableMs`
 * (default 500 ms). https://github.com/architect/dynalite#readme
 */
declare module "dynalite" {
    import type { Server } from "node:http";
    function dynalite(options?: {
        path?: string;
        createTableMs?: number;
        deleteTableMs?: number;
        updateTableMs?: number;
    }): Server;
    export = dynalite;
}
