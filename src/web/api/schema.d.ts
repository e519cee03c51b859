// Generated from openapi.json by openapi-typescript (npm run web:api). Do not edit.

export type paths = {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The database is reachable and the Kubernetes API server ready (etcd included) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling API key, its role, and its owner's limits and usage */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Identity"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/engines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The engines a store can be created with, the plans each offers and its releases with their upgrade paths */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Engine"][];
                        };
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stores
         * @description The caller's owner's stores (a platform admin: every owner's, or the `X-Owner` header's), newest first. Follow `nextCursor` for the next page.
         */
        get: {
            parameters: {
                query?: {
                    status?: components["schemas"]["StoreStatusInput"];
                    /** @description Opaque cursor from `nextCursor` of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StoreList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a store
         * @description Validates the spec, checks the owner's allowance and limits, records the store as Pending and queues it. A name whose namespace `store-<name>` is one the platform or the cluster uses is refused (422 STORE_NAME_RESERVED). The store belongs to the caller's owner (a platform admin: the `X-Owner` header, else `default`). Poll the store or follow `/events/stream`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Retry-safe creation: the same key and body return the first response; another body gets 422 */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateStoreInput"];
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Semantically invalid request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a store */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a store
         * @description Marks the store Deleting and removes its namespace; the record and timeline are kept and the name becomes reusable. With backups configured, a final backup is taken first and the delete waits for it (it stays listed afterwards); a failed final backup leaves the store Failed and in place. `skipFinalBackup=true` (admin keys only) deletes without one. 409 BACKUP_IN_PROGRESS while a backup or restore runs. With an undelete window (UNDELETE_WINDOW_HOURS), a Ready or Suspended store is soft-deleted: parked behind its maintenance page and kept, its name taken, until `purgeAt`; `POST .../actions/undelete` brings it back until then. `purge=now` (admin keys only) purges at once.
         */
        delete: {
            parameters: {
                query?: {
                    /** @description true: delete without the final backup (admin keys only); default false when backups are configured */
                    skipFinalBackup?: "true" | "false";
                    /** @description now: purge at once instead of keeping an undelete window (admin keys only); also purges a store already soft-deleted */
                    purge?: "now";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a store's plan
         * @description Only a Ready store; it goes back to Provisioning while every step is server-side applied on the new plan, then Ready again.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateStoreInput"];
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/stores/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live updates for all of the owner's stores (Server-Sent Events)
         * @description Never ends by itself. Events: `store` (a Store, on every status change) and `step` (a StoreEvent of any of the caller's owner's stores). Heartbeat comments keep proxies from closing the connection. Fetch the list first, then apply updates. Open streams are capped per API key and in all (429 `STREAM_LIMIT_REACHED` with Retry-After beyond); a stream whose client stops reading is closed once a bounded backlog waits for it (reconnect with `Last-Event-ID`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store's provisioning timeline */
        get: {
            parameters: {
                query?: {
                    /** @description Only events with a larger id */
                    after?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StoreEventList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow the timeline live (Server-Sent Events)
         * @description Sends `store` (the store now), then every existing `step` event (id = event id; `Last-Event-ID` resumes), then live ones, and `end` when the store is Ready, Suspended, Failed or Deleted, after which the server closes the stream. Open streams are capped per API key and in all (429 `STREAM_LIMIT_REACHED` with Retry-After beyond); a stream whose client stops reading is closed once a bounded backlog waits for it (reconnect with `Last-Event-ID`).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only events with a larger id */
                    after?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a rollout live (Server-Sent Events)
         * @description Sends `rollout` (the rollout now, with every store) at once and on every change, and `end` once it has Succeeded or was Aborted (a Halted or Paused rollout may go on: the stream stays open). Platform admins only. Open streams are capped per API key and in all (429 `STREAM_LIMIT_REACHED` with Retry-After beyond); a stream whose client stops reading is closed once a bounded backlog waits for it (reconnect with `Last-Event-ID`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a Failed store from the step that failed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend a Ready store: workloads to zero behind a maintenance page, data kept
         * @description Answers 202 at once with the store Suspending; the engine puts up the maintenance page (503 with Retry-After on the store's host), suspends its CronJobs and scales its workloads to zero (volumes and Secrets kept), then marks it Suspended. Asking again while Suspending or Suspended is a no-op; any other status is 409 ILLEGAL_TRANSITION.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a Suspended store; Ready again once its store check passes
         * @description Answers 202 at once with the store Resuming; the engine scales its workloads back to the plan's replicas, resumes its CronJobs, points the Ingress back at the store, removes the maintenance page and runs the store check before Ready. Asking again while Resuming is a no-op; any status but Suspended is 409 ILLEGAL_TRANSITION.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/upgrade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upgrade a Ready store to another release of its engine, with rollback
         * @description Answers 202 at once with the store Upgrading. With backups configured a pre-upgrade backup is taken first (a failed one refuses the upgrade and changes nothing). The store's Jobs run again on the new release (its setup migrates the data) and every step is server-side applied, then the store check runs; Ready means the new release takes orders. A failure rolls back: the old release's objects again, then the pre-upgrade backup restored (Restoring) and the check. 409 VERSION_NOT_ALLOWED for a release the catalogue lacks or reaches by no path from the store's; 409 ILLEGAL_TRANSITION unless Ready; asking again for the upgrade under way is a no-op. `skipBackup` is for admin keys only (403).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpgradeRequestInput"];
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/undelete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undelete a soft-deleted store before its purge time
         * @description Answers 202 with the store Resuming (it was Ready: workloads back, the maintenance page gone, Ready once its store check passes) or Suspended (it was Suspended). 409 ILLEGAL_TRANSITION for a store that is not Deleting, was deleted without an undelete window, or is past its `purgeAt`; 409 BACKUP_IN_PROGRESS while its final backup runs.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restart the store's pods (all, or one component) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description e.g. `wordpress` or `mysql`; all pods when omitted */
                        component?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RestartResult"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server refused the request */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/actions/reset-admin-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password for the store's administrator (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PasswordReset"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server refused the request */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pods, volumes and quota usage */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StoreHealth"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server refused the request */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent container logs */
        get: {
            parameters: {
                query?: {
                    component?: string;
                    /** @description Lines per container */
                    tail?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StoreLogs"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server refused the request */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Admin URL, user and password (owner and admin keys; audit-logged)
         * @description Read live from the store's Secret; the platform keeps no copy.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminCredentials"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server refused the request */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The Kubernetes API server is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a store's backups, newest first
         * @description Also after the store is Deleted: its final backup stays listed.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BackupList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Back up a store now
         * @description Queues an on-demand backup of a Ready store: its database dump and files (WooCommerce: wp-content) into the store's restic repository, encrypted with the store's own password. Poll the backup or follow the store's `/events/stream` (step `backup`). 409: BACKUPS_NOT_CONFIGURED, STORE_NOT_READY, BACKUP_IN_PROGRESS.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Backup"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/backups/{backupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one backup of a store */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    backupId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Backup"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore one of the store's backups into it
         * @description Maintenance: the store goes Restoring, its app is scaled down, the backup is verified and restored (database, then files), the app comes back and the store check runs; then Ready. A backup refused before anything was written (damaged, incomplete) leaves the store as it was (Ready); a restore that fails after it began writing leaves the store Failed, saying so (restore another backup). 404 BACKUP_NOT_FOUND; 409 BACKUPS_NOT_CONFIGURED, STORE_NOT_READY, BACKUP_IN_PROGRESS, BACKUP_NOT_RESTORABLE; 422 BACKUP_OF_ANOTHER_STORE, BACKUP_ENGINE_MISMATCH.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RestoreRequestInput"];
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Restore"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Semantically invalid request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/{backupId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a new store from a backup (clone a store, or bring a deleted one back)
         * @description Creates a store like POST /stores (its own name, host and secrets; the backed-up store's plan, admin email and currency unless given), provisions it, restores the backup into it (another store's, or a deleted store's final backup while retention keeps it), rewrites what the data holds of the other store (WordPress: `wp search-replace` of its URL; both engines: this store's admin password) and runs the store check; Ready only then. Follow the new store's `/events/stream` (step `restore`). 404 BACKUP_NOT_FOUND; 409 BACKUPS_NOT_CONFIGURED, BACKUP_NOT_RESTORABLE, STORE_NAME_TAKEN, HOST_TAKEN, STORE_LIMIT_REACHED; 422 STORE_NAME_RESERVED.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    backupId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewStoreFromBackupInput"];
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Store"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Semantically invalid request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{id}/restores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a store's restores, newest first (status, step, failure) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RestoreList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rollouts, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RolloutList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Upgrade a fleet of stores to one release, in waves
         * @description Picks the engine's live stores matching `selector` that run another release, lays them out in `waves` (the first is the canary) and starts it at once: each wave upgrades its stores (each with its pre-upgrade backup and rollback, as the upgrade action does), then waits `pauseSeconds` before the next. Once more than `maxFailures` stores failed or rolled back, the rollout halts (resume forgives those failures; abort ends it). Stores with no upgrade path are listed as Skipped. 409 VERSION_NOT_ALLOWED, NO_STORES_SELECTED, and ROLLOUT_CONFLICT when a store is in another open rollout.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RolloutRequestInput"];
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rollout"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Semantically invalid request */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One rollout with every store in wave order */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rollout"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a rollout
         * @description Pause a rollout: no new store starts; upgrades under way finish. 409 ILLEGAL_TRANSITION unless Running.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rollout"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a rollout
         * @description Resume a Paused or Halted rollout; a halted rollout's failures so far are forgiven. 409 ILLEGAL_TRANSITION otherwise.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rollout"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rollouts/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Abort a rollout
         * @description Abort an open rollout: stores not started are Skipped, upgrades under way finish; it cannot be resumed. 409 ILLEGAL_TRANSITION once it has ended.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Rollout"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first
         * @description The actions for the caller's owner (a platform admin: every action, or the `X-Owner` header's owner's).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Opaque cursor from `nextCursor` of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/owners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List owners (platform admins) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OwnerList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an owner (platform admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateOwnerInput"];
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Owner"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/owners/{ownerId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an owner with its usage (platform admins) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ownerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Owner"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an owner without live stores and revoke its keys (platform admins) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ownerId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Owner"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an owner's name, allowance or limits (platform admins)
         * @description Limits apply to the next create; stores already running are not touched.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ownerId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateOwnerInput"];
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Owner"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The owner's API keys (never the keys themselves)
         * @description A platform admin acting for nobody sees every key.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKeyList"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API key for the owner (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateApiKeyInput"];
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedApiKey"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unsupported media type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of the owner's API keys */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    keyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApiKey"];
                    };
                };
                /** @description Invalid request (validation errors listed in `errors`) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The key's role does not allow this, or a platform limit was reached */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such store */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limit exceeded; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        ProblemInput: {
            /** @description URI identifying the kind of problem: https://store-platform.dev/problems/<code in kebab-case> */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description The request path */
            instance?: string;
            /** @description Stable machine-readable code, SCREAMING_SNAKE */
            code: string;
            requestId?: string;
            /** @description Validation issues, one per bad field */
            errors?: {
                in: string;
                path: string;
                message: string;
            }[];
        };
        EngineInput: {
            /** @enum {string} */
            name: "woocommerce" | "medusa";
            title: string;
            /** @description The plans a store of this engine may use */
            plans: ("small" | "standard" | "large")[];
            /** @description Path of the admin UI under the store URL */
            adminPath: string;
            /** @description What the merchant calls the administrator account */
            adminTitle: string;
            /** @description The release new stores of this engine get */
            currentVersion: string;
            /** @description Every release of the engine on this platform, the base one (the platform's images) first */
            versions: {
                version: string;
                /** @description Releases a store may be upgraded from to this one */
                upgradesFrom: string[];
            }[];
        };
        RolloutRequestInput: {
            /** @enum {string} */
            engine: "woocommerce" | "medusa";
            /** @description The release every selected store moves to */
            version: string;
            /**
             * @description Which of the engine's live stores; all of them when empty
             * @default {}
             */
            selector: {
                plan?: string;
                ownerId?: string;
                /** @description Only stores on this release */
                fromVersion?: string;
            };
            /** @description Wave sizes in order, the first the canary; the last takes the rest. Default: 1, 50%, 100% */
            waves?: (number | string)[];
            /**
             * @description Stores that may fail or roll back before the rollout halts
             * @default 0
             */
            maxFailures: number;
            /**
             * @description Wait between two waves
             * @default 0
             */
            pauseSeconds: number;
        };
        RolloutStoreInput: {
            storeId: string;
            /** @description 1-based */
            wave: number;
            fromVersion: string;
            /** @enum {string} */
            status: "Pending" | "Upgrading" | "Succeeded" | "RolledBack" | "Failed" | "Skipped";
            reason: string | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
        };
        RolloutInput: {
            id: string;
            engine: string;
            version: string;
            selector: {
                plan?: string;
                ownerId?: string;
                fromVersion?: string;
            };
            /** @description Stores per wave */
            waves: number[];
            maxFailures: number;
            pauseSeconds: number;
            /** @enum {string} */
            status: "Running" | "Paused" | "Halted" | "Aborted" | "Succeeded";
            statusReason: string | null;
            /** @description The wave under way, 1-based */
            wave: number;
            /** Format: date-time */
            nextWaveAt: string | null;
            /** @description Stores by status */
            counts: {
                [key: string]: number;
            };
            /** @description Stores that failed or rolled back since the rollout started or was last resumed */
            failures: number;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt: string | null;
            /** @description Every store in wave order (on a single rollout only) */
            stores?: components["schemas"]["RolloutStoreInput"][];
        };
        RolloutListInput: {
            items: components["schemas"]["RolloutInput"][];
        };
        CreateOwnerInput: {
            /** @description Stable id, used by `X-Owner` and `keys create --owner` */
            id: string;
            name: string;
            /**
             * @description Plans the owner may use; null: every plan
             * @default null
             */
            allowedPlans: ("small" | "standard" | "large")[] | null;
            /**
             * @description Engines the owner may use; null: every engine
             * @default null
             */
            allowedEngines: ("woocommerce" | "medusa")[] | null;
            /**
             * @description Live (not Deleted) stores at once; null: unlimited
             * @default null
             */
            maxStores: number | null;
            /**
             * @description Sum of the plans' quota CPU requests over the live stores, in millicores; null: unlimited
             * @default null
             */
            maxCpuMillis: number | null;
            /**
             * @description Sum of the plans' quota memory requests over the live stores, in MiB; null: unlimited
             * @default null
             */
            maxMemoryMiB: number | null;
        };
        UpdateOwnerInput: {
            name?: string;
            /** @description Plans the owner may use; null: every plan */
            allowedPlans?: ("small" | "standard" | "large")[] | null;
            /** @description Engines the owner may use; null: every engine */
            allowedEngines?: ("woocommerce" | "medusa")[] | null;
            /** @description Live (not Deleted) stores at once; null: unlimited */
            maxStores?: number | null;
            /** @description Sum of the plans' quota CPU requests over the live stores, in millicores; null: unlimited */
            maxCpuMillis?: number | null;
            /** @description Sum of the plans' quota memory requests over the live stores, in MiB; null: unlimited */
            maxMemoryMiB?: number | null;
        };
        OwnerUsageInput: {
            /** @description Live stores */
            stores: number;
            /** @description Quota CPU requests claimed by the live stores */
            cpuMillis: number;
            /** @description Quota memory requests claimed by the live stores */
            memoryMiB: number;
        };
        OwnerInput: {
            id: string;
            name: string;
            allowedPlans: string[] | null;
            allowedEngines: string[] | null;
            maxStores: number | null;
            maxCpuMillis: number | null;
            maxMemoryMiB: number | null;
            usage: components["schemas"]["OwnerUsageInput"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        OwnerListInput: {
            items: components["schemas"]["OwnerInput"][];
        };
        ApiKeyInput: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            ownerId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
        };
        ApiKeyListInput: {
            items: components["schemas"]["ApiKeyInput"][];
        };
        CreateApiKeyInput: {
            name: string;
            /**
             * @description `owner` or `viewer` for the caller's owner; `admin` only by a platform admin acting for nobody
             * @enum {string}
             */
            role: "admin" | "owner" | "viewer";
        };
        CreatedApiKeyInput: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            ownerId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description The key itself: shown once, only its SHA-256 is stored */
            key: string;
        };
        IdentityInput: {
            /** @description Id of the API key (never the key itself) */
            keyId: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            /** @description The owner the request is scoped to: the key's, or the one a platform admin names with X-Owner; null: every owner */
            ownerId: string | null;
            /** @description That owner with its limits and usage */
            owner: components["schemas"]["OwnerInput"] | null;
        };
        /** @enum {string} */
        StoreStatusInput: "Pending" | "Provisioning" | "Ready" | "Upgrading" | "Restoring" | "Suspending" | "Suspended" | "Resuming" | "Failed" | "Deleting" | "Deleted";
        CreateStoreInput: {
            name: string;
            /** @enum {string} */
            engine: "woocommerce" | "medusa";
            /** @enum {string} */
            plan: "small" | "standard" | "large";
            /** Format: email */
            adminEmail: string;
            customDomain?: string;
            /** @description Default: the name in title case (`acme-shop` becomes `Acme Shop`) */
            title?: string;
            /** @default USD */
            currency: string;
            /** @description Delete the store automatically if provisioning fails (default: the platform setting TEARDOWN_FAILED_STORES) */
            teardownOnFailure?: boolean;
        };
        StoreConditionInput: {
            /** @description PascalCase: a provisioning step (e.g. `StoreCheck`) or `Ready`, which summarises them */
            type: string;
            /** @enum {string} */
            status: "True" | "False" | "Unknown";
            /** @description PascalCase, e.g. Succeeded, Progressing, Retrying, Failed, StepFailed */
            reason: string;
            message: string;
            /** Format: date-time */
            lastTransitionTime: string;
        };
        StoreInput: {
            id: string;
            /** @description The owner (tenant) the store belongs to */
            ownerId: string;
            /** @description The slug; the namespace is store-<name> */
            name: string;
            title: string;
            engine: string;
            plan: string;
            adminEmail: string;
            customDomain: string | null;
            currency: string;
            status: components["schemas"]["StoreStatusInput"];
            statusReason: string | null;
            failedStep: string | null;
            storeUrl: string;
            adminUrl: string;
            /** @description Workloads of the store (its engine's, for its plan): the names restart and logs accept */
            components: string[];
            namespace: string;
            teardownOnFailure: boolean;
            generation: number;
            observedGeneration: number;
            /** @description Position in the provisioning queue: 1 is next, 0 is being worked on, null when not queued */
            queuePosition: number | null;
            createdBy: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            readyAt: string | null;
            /** Format: date-time */
            deletedAt: string | null;
            /**
             * Format: date-time
             * @description A soft-deleted store (Deleting) is purged at this time and may be undeleted until then; null otherwise
             */
            purgeAt: string | null;
            /** @description The release of its engine the store runs (while Upgrading: the one it is moving to) */
            version: string;
            /** @description While Upgrading: the release the store is leaving, which a failed upgrade rolls back to; null otherwise */
            upgradeFrom: string | null;
            /** @description The backup the store was made from (POST /backups/{backupId}/restore); null for a new store */
            sourceBackupId: string | null;
            /** @description One per provisioning step seen on the timeline, then Ready (like a controller's status conditions) */
            conditions: components["schemas"]["StoreConditionInput"][];
        };
        StoreListInput: {
            items: components["schemas"]["StoreInput"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
        };
        StoreEventInput: {
            id: number;
            storeId: string;
            step: string;
            /** @enum {string} */
            phase: "started" | "succeeded" | "failed" | "retrying" | "info";
            message: string;
            durationMs: number | null;
            attempt: number;
            /** Format: date-time */
            at: string;
            /** @description How many identical retries in a row this row stands for (an outage writes one row per reason) */
            count: number;
            /**
             * Format: date-time
             * @description When the latest of those retries happened; null when the row stands for one
             */
            lastAt: string | null;
        };
        StoreEventListInput: {
            items: components["schemas"]["StoreEventInput"][];
        };
        UpdateStoreInput: {
            /**
             * @description Move a Ready store to another plan: quota, limits and container sizes follow (server-side apply)
             * @enum {string}
             */
            plan: "small" | "standard" | "large";
        };
        UpgradeRequestInput: {
            /** @description A release of the store's engine (GET /api/v1/engines lists them with their upgrade paths) */
            version: string;
            /** @description Admin keys only: upgrade without a pre-upgrade backup (a rollback then keeps the data as the upgrade left it) */
            skipBackup?: boolean;
        };
        RestartResultInput: {
            storeId: string;
            /** @description Names of the workloads restarted */
            restarted: string[];
        };
        AdminCredentialsInput: {
            storeId: string;
            adminUrl: string;
            username: string;
            password: string;
        };
        PasswordResetInput: {
            storeId: string;
            username: string;
            /** @description Shown once; the platform keeps no copy */
            password: string;
        };
        StoreHealthInput: {
            storeId: string;
            pods: {
                name: string;
                component: string | null;
                phase: string;
                ready: boolean;
                restarts: number;
                /** @description Why a container of the pod last ended, e.g. OOMKilled or Error; null if none has */
                lastTermination: string | null;
                ageSeconds: number | null;
            }[];
            pvcs: {
                name: string;
                phase: string;
                size: string | null;
            }[];
            quota: {
                resource: string;
                used: string;
                hard: string;
            }[];
            /** @description Whether the store can send mail (order e-mails, password resets) */
            mail: {
                /**
                 * @description `relay`: mail goes to the platform's SMTP relay; `off`: none is configured (SMTP_HOST); `unsupported`: the engine sends no mail
                 * @enum {string}
                 */
                status: "relay" | "off" | "unsupported";
                /** @description `host:port (TLS mode)` of the relay; null unless `relay` */
                relay: string | null;
                /** @description The address mail is sent from; null unless `relay` */
                from: string | null;
                detail: string;
            };
        };
        StoreLogsInput: {
            storeId: string;
            entries: {
                pod: string;
                container: string;
                lines: string[];
            }[];
        };
        AuditEntryInput: {
            id: number;
            actor: string;
            /** @description The owner the action was for; null for platform-wide actions */
            ownerId: string | null;
            action: string;
            target: string;
            /** @enum {string} */
            outcome: "success" | "replay" | "failure" | "denied";
            requestId: string | null;
            ip: string | null;
            detail: string | null;
            /** Format: date-time */
            at: string;
        };
        AuditListInput: {
            items: components["schemas"]["AuditEntryInput"][];
            nextCursor: string | null;
        };
        NewStoreFromBackupInput: {
            name: string;
            title?: string;
            /** @enum {string} */
            plan?: "small" | "standard" | "large";
            /** Format: email */
            adminEmail?: string;
            customDomain?: string;
            currency?: string;
        };
        /** @enum {string} */
        RunStatusInput: "Pending" | "Running" | "Succeeded" | "Failed";
        BackupInput: {
            /** @description Names the Job `backup-<id>` and tags the snapshots in the store's restic repository */
            id: string;
            storeId: string;
            /**
             * @description on-demand (POST), scheduled, final (before a delete) or pre-upgrade
             * @enum {string}
             */
            kind: "on-demand" | "scheduled" | "final" | "pre-upgrade";
            status: components["schemas"]["RunStatusInput"];
            /** @description The dump plus the files, as the backup script reported them */
            sizeBytes: number | null;
            durationMs: number | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest the plan's retention may forget it
             */
            expiresAt: string | null;
            /** @description Where a failed backup failed: secrets, apply or backup */
            errorStep: string | null;
            errorReason: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        BackupListInput: {
            items: components["schemas"]["BackupInput"][];
        };
        RestoreRequestInput: {
            /** @description One of this store's Succeeded backups */
            backupId: string;
        };
        RestoreInput: {
            id: string;
            storeId: string;
            backupId: string;
            status: components["schemas"]["RunStatusInput"];
            /** @description scale-down, restore, scale-up or check */
            step: string | null;
            durationMs: number | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            errorStep: string | null;
            errorReason: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        RestoreListInput: {
            items: components["schemas"]["RestoreInput"][];
        };
        ReadinessInput: {
            /** @enum {string} */
            status: "ready" | "not-ready";
            checks: {
                database: string;
                kubernetes: string;
            };
        };
        Problem: {
            /** @description URI identifying the kind of problem: https://store-platform.dev/problems/<code in kebab-case> */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description The request path */
            instance?: string;
            /** @description Stable machine-readable code, SCREAMING_SNAKE */
            code: string;
            requestId?: string;
            /** @description Validation issues, one per bad field */
            errors?: {
                in: string;
                path: string;
                message: string;
            }[];
        };
        Engine: {
            /** @enum {string} */
            name: "woocommerce" | "medusa";
            title: string;
            /** @description The plans a store of this engine may use */
            plans: ("small" | "standard" | "large")[];
            /** @description Path of the admin UI under the store URL */
            adminPath: string;
            /** @description What the merchant calls the administrator account */
            adminTitle: string;
            /** @description The release new stores of this engine get */
            currentVersion: string;
            /** @description Every release of the engine on this platform, the base one (the platform's images) first */
            versions: {
                version: string;
                /** @description Releases a store may be upgraded from to this one */
                upgradesFrom: string[];
            }[];
        };
        RolloutRequest: {
            /** @enum {string} */
            engine: "woocommerce" | "medusa";
            /** @description The release every selected store moves to */
            version: string;
            /**
             * @description Which of the engine's live stores; all of them when empty
             * @default {}
             */
            selector: {
                plan?: string;
                ownerId?: string;
                /** @description Only stores on this release */
                fromVersion?: string;
            };
            /** @description Wave sizes in order, the first the canary; the last takes the rest. Default: 1, 50%, 100% */
            waves?: (number | string)[];
            /**
             * @description Stores that may fail or roll back before the rollout halts
             * @default 0
             */
            maxFailures: number;
            /**
             * @description Wait between two waves
             * @default 0
             */
            pauseSeconds: number;
        };
        RolloutStore: {
            storeId: string;
            /** @description 1-based */
            wave: number;
            fromVersion: string;
            /** @enum {string} */
            status: "Pending" | "Upgrading" | "Succeeded" | "RolledBack" | "Failed" | "Skipped";
            reason: string | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
        };
        Rollout: {
            id: string;
            engine: string;
            version: string;
            selector: {
                plan?: string;
                ownerId?: string;
                fromVersion?: string;
            };
            /** @description Stores per wave */
            waves: number[];
            maxFailures: number;
            pauseSeconds: number;
            /** @enum {string} */
            status: "Running" | "Paused" | "Halted" | "Aborted" | "Succeeded";
            statusReason: string | null;
            /** @description The wave under way, 1-based */
            wave: number;
            /** Format: date-time */
            nextWaveAt: string | null;
            /** @description Stores by status */
            counts: {
                [key: string]: number;
            };
            /** @description Stores that failed or rolled back since the rollout started or was last resumed */
            failures: number;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            finishedAt: string | null;
            /** @description Every store in wave order (on a single rollout only) */
            stores?: components["schemas"]["RolloutStore"][];
        };
        RolloutList: {
            items: components["schemas"]["Rollout"][];
        };
        CreateOwner: {
            /** @description Stable id, used by `X-Owner` and `keys create --owner` */
            id: string;
            name: string;
            /**
             * @description Plans the owner may use; null: every plan
             * @default null
             */
            allowedPlans: ("small" | "standard" | "large")[] | null;
            /**
             * @description Engines the owner may use; null: every engine
             * @default null
             */
            allowedEngines: ("woocommerce" | "medusa")[] | null;
            /**
             * @description Live (not Deleted) stores at once; null: unlimited
             * @default null
             */
            maxStores: number | null;
            /**
             * @description Sum of the plans' quota CPU requests over the live stores, in millicores; null: unlimited
             * @default null
             */
            maxCpuMillis: number | null;
            /**
             * @description Sum of the plans' quota memory requests over the live stores, in MiB; null: unlimited
             * @default null
             */
            maxMemoryMiB: number | null;
        };
        UpdateOwner: {
            name?: string;
            /** @description Plans the owner may use; null: every plan */
            allowedPlans?: ("small" | "standard" | "large")[] | null;
            /** @description Engines the owner may use; null: every engine */
            allowedEngines?: ("woocommerce" | "medusa")[] | null;
            /** @description Live (not Deleted) stores at once; null: unlimited */
            maxStores?: number | null;
            /** @description Sum of the plans' quota CPU requests over the live stores, in millicores; null: unlimited */
            maxCpuMillis?: number | null;
            /** @description Sum of the plans' quota memory requests over the live stores, in MiB; null: unlimited */
            maxMemoryMiB?: number | null;
        };
        OwnerUsage: {
            /** @description Live stores */
            stores: number;
            /** @description Quota CPU requests claimed by the live stores */
            cpuMillis: number;
            /** @description Quota memory requests claimed by the live stores */
            memoryMiB: number;
        };
        Owner: {
            id: string;
            name: string;
            allowedPlans: string[] | null;
            allowedEngines: string[] | null;
            maxStores: number | null;
            maxCpuMillis: number | null;
            maxMemoryMiB: number | null;
            usage: components["schemas"]["OwnerUsage"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        OwnerList: {
            items: components["schemas"]["Owner"][];
        };
        ApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            ownerId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
        };
        CreateApiKey: {
            name: string;
            /**
             * @description `owner` or `viewer` for the caller's owner; `admin` only by a platform admin acting for nobody
             * @enum {string}
             */
            role: "admin" | "owner" | "viewer";
        };
        CreatedApiKey: {
            id: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            ownerId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description The key itself: shown once, only its SHA-256 is stored */
            key: string;
        };
        Identity: {
            /** @description Id of the API key (never the key itself) */
            keyId: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "owner" | "viewer";
            /** @description The owner the request is scoped to: the key's, or the one a platform admin names with X-Owner; null: every owner */
            ownerId: string | null;
            /** @description That owner with its limits and usage */
            owner: components["schemas"]["Owner"] | null;
        };
        /** @enum {string} */
        StoreStatus: "Pending" | "Provisioning" | "Ready" | "Upgrading" | "Restoring" | "Suspending" | "Suspended" | "Resuming" | "Failed" | "Deleting" | "Deleted";
        CreateStore: {
            name: string;
            /** @enum {string} */
            engine: "woocommerce" | "medusa";
            /** @enum {string} */
            plan: "small" | "standard" | "large";
            /** Format: email */
            adminEmail: string;
            customDomain?: string;
            /** @description Default: the name in title case (`acme-shop` becomes `Acme Shop`) */
            title?: string;
            /** @default USD */
            currency: string;
            /** @description Delete the store automatically if provisioning fails (default: the platform setting TEARDOWN_FAILED_STORES) */
            teardownOnFailure?: boolean;
        };
        StoreCondition: {
            /** @description PascalCase: a provisioning step (e.g. `StoreCheck`) or `Ready`, which summarises them */
            type: string;
            /** @enum {string} */
            status: "True" | "False" | "Unknown";
            /** @description PascalCase, e.g. Succeeded, Progressing, Retrying, Failed, StepFailed */
            reason: string;
            message: string;
            /** Format: date-time */
            lastTransitionTime: string;
        };
        Store: {
            id: string;
            /** @description The owner (tenant) the store belongs to */
            ownerId: string;
            /** @description The slug; the namespace is store-<name> */
            name: string;
            title: string;
            engine: string;
            plan: string;
            adminEmail: string;
            customDomain: string | null;
            currency: string;
            status: components["schemas"]["StoreStatus"];
            statusReason: string | null;
            failedStep: string | null;
            storeUrl: string;
            adminUrl: string;
            /** @description Workloads of the store (its engine's, for its plan): the names restart and logs accept */
            components: string[];
            namespace: string;
            teardownOnFailure: boolean;
            generation: number;
            observedGeneration: number;
            /** @description Position in the provisioning queue: 1 is next, 0 is being worked on, null when not queued */
            queuePosition: number | null;
            createdBy: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            readyAt: string | null;
            /** Format: date-time */
            deletedAt: string | null;
            /**
             * Format: date-time
             * @description A soft-deleted store (Deleting) is purged at this time and may be undeleted until then; null otherwise
             */
            purgeAt: string | null;
            /** @description The release of its engine the store runs (while Upgrading: the one it is moving to) */
            version: string;
            /** @description While Upgrading: the release the store is leaving, which a failed upgrade rolls back to; null otherwise */
            upgradeFrom: string | null;
            /** @description The backup the store was made from (POST /backups/{backupId}/restore); null for a new store */
            sourceBackupId: string | null;
            /** @description One per provisioning step seen on the timeline, then Ready (like a controller's status conditions) */
            conditions: components["schemas"]["StoreCondition"][];
        };
        StoreList: {
            items: components["schemas"]["Store"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
        };
        StoreEvent: {
            id: number;
            storeId: string;
            step: string;
            /** @enum {string} */
            phase: "started" | "succeeded" | "failed" | "retrying" | "info";
            message: string;
            durationMs: number | null;
            attempt: number;
            /** Format: date-time */
            at: string;
            /** @description How many identical retries in a row this row stands for (an outage writes one row per reason) */
            count: number;
            /**
             * Format: date-time
             * @description When the latest of those retries happened; null when the row stands for one
             */
            lastAt: string | null;
        };
        StoreEventList: {
            items: components["schemas"]["StoreEvent"][];
        };
        UpdateStore: {
            /**
             * @description Move a Ready store to another plan: quota, limits and container sizes follow (server-side apply)
             * @enum {string}
             */
            plan: "small" | "standard" | "large";
        };
        UpgradeRequest: {
            /** @description A release of the store's engine (GET /api/v1/engines lists them with their upgrade paths) */
            version: string;
            /** @description Admin keys only: upgrade without a pre-upgrade backup (a rollback then keeps the data as the upgrade left it) */
            skipBackup?: boolean;
        };
        RestartResult: {
            storeId: string;
            /** @description Names of the workloads restarted */
            restarted: string[];
        };
        AdminCredentials: {
            storeId: string;
            adminUrl: string;
            username: string;
            password: string;
        };
        PasswordReset: {
            storeId: string;
            username: string;
            /** @description Shown once; the platform keeps no copy */
            password: string;
        };
        StoreHealth: {
            storeId: string;
            pods: {
                name: string;
                component: string | null;
                phase: string;
                ready: boolean;
                restarts: number;
                /** @description Why a container of the pod last ended, e.g. OOMKilled or Error; null if none has */
                lastTermination: string | null;
                ageSeconds: number | null;
            }[];
            pvcs: {
                name: string;
                phase: string;
                size: string | null;
            }[];
            quota: {
                resource: string;
                used: string;
                hard: string;
            }[];
            /** @description Whether the store can send mail (order e-mails, password resets) */
            mail: {
                /**
                 * @description `relay`: mail goes to the platform's SMTP relay; `off`: none is configured (SMTP_HOST); `unsupported`: the engine sends no mail
                 * @enum {string}
                 */
                status: "relay" | "off" | "unsupported";
                /** @description `host:port (TLS mode)` of the relay; null unless `relay` */
                relay: string | null;
                /** @description The address mail is sent from; null unless `relay` */
                from: string | null;
                detail: string;
            };
        };
        StoreLogs: {
            storeId: string;
            entries: {
                pod: string;
                container: string;
                lines: string[];
            }[];
        };
        AuditEntry: {
            id: number;
            actor: string;
            /** @description The owner the action was for; null for platform-wide actions */
            ownerId: string | null;
            action: string;
            target: string;
            /** @enum {string} */
            outcome: "success" | "replay" | "failure" | "denied";
            requestId: string | null;
            ip: string | null;
            detail: string | null;
            /** Format: date-time */
            at: string;
        };
        AuditList: {
            items: components["schemas"]["AuditEntry"][];
            nextCursor: string | null;
        };
        NewStoreFromBackup: {
            name: string;
            title?: string;
            /** @enum {string} */
            plan?: "small" | "standard" | "large";
            /** Format: email */
            adminEmail?: string;
            customDomain?: string;
            currency?: string;
        };
        /** @enum {string} */
        RunStatus: "Pending" | "Running" | "Succeeded" | "Failed";
        Backup: {
            /** @description Names the Job `backup-<id>` and tags the snapshots in the store's restic repository */
            id: string;
            storeId: string;
            /**
             * @description on-demand (POST), scheduled, final (before a delete) or pre-upgrade
             * @enum {string}
             */
            kind: "on-demand" | "scheduled" | "final" | "pre-upgrade";
            status: components["schemas"]["RunStatus"];
            /** @description The dump plus the files, as the backup script reported them */
            sizeBytes: number | null;
            durationMs: number | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /**
             * Format: date-time
             * @description The earliest the plan's retention may forget it
             */
            expiresAt: string | null;
            /** @description Where a failed backup failed: secrets, apply or backup */
            errorStep: string | null;
            errorReason: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        BackupList: {
            items: components["schemas"]["Backup"][];
        };
        RestoreRequest: {
            /** @description One of this store's Succeeded backups */
            backupId: string;
        };
        Restore: {
            id: string;
            storeId: string;
            backupId: string;
            status: components["schemas"]["RunStatus"];
            /** @description scale-down, restore, scale-up or check */
            step: string | null;
            durationMs: number | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            errorStep: string | null;
            errorReason: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        RestoreList: {
            items: components["schemas"]["Restore"][];
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not-ready";
            checks: {
                database: string;
                kubernetes: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
