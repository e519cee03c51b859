import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s.js';
import { StoreIngress } from './ingress.js';
import { ingressPeers, type IngressPeerSettings } from './ingress-route.js';
import { componentLabels, componentSelector, storeLabels } from './labels.js';
import { namespaceFor } from './names.js';
import { tcp } from './network-policies.js';
import { MAINTENANCE_RESOURCES } from './plans.js';
import { assertPinned, containerSecurityContext, nodePoolPlacement, podSecurityContext, resources } from './pods.js';
import type { KubeObject, SynthesizedStep } from './readiness.js';
import type { PlatformSettings } from './spec.js';
import { collectSteps, StoreStep } from './step.js';

/** Names of the maintenance responder's objects in a store namespace; none of them clashes with an engine's. */
export const MAINTENANCE_NAMES = {
  /** The Deployment, its Service and its pods' `app.kubernetes.io/name`. */
  responder: 'maintenance',
  /** ConfigMap holding the answer and the script that sends it. */
  page: 'maintenance-page',
  /** NetworkPolicy admitting the ingress controller to the responder. */
  policy: 'allow-maintenance',
} as const;

/** Port the responder listens on (unprivileged: it runs as nobody). */
export const MAINTENANCE_PORT = 8080;
/** Port of the responder's Service, the backend of the re-pointed Ingress. */
export const MAINTENANCE_SERVICE_PORT = 80;
/** uid/gid of `nobody` in the busybox image. */
export const MAINTENANCE_UID = 65534;
/** `Retry-After` a suspended store answers with, in seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 600;

/** The store's own Ingress, as its engine synthesized it: the maintenance Ingress keeps all but the backend. */
export interface StoreIngressRef {
  /** Name of the Ingress object. */
  readonly name: string;
  /** Host the store is served on. */
  readonly host: string;
  /** Labels of the Ingress object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Secret of the certificate, when TLS is on. */
  readonly tlsSecretName: string;
}

/** Props of {@link MaintenancePage}. */
export interface MaintenancePageProps {
  /** The store's slug; every object goes to `store-<slug>`. */
  readonly slug: string;
  /** The store's title, shown on the page (HTML-escaped). */
  readonly title: string;
  /** The store's Ingress, re-pointed at the responder while the store is suspended. */
  readonly ingress: StoreIngressRef;
  /** Images (`maintenance`), node pool, ingress class, TLS and the ingress controller's peers. */
  readonly platform: Pick<PlatformSettings, 'images' | 'nodePool' | 'ingressClassName' | 'tls' | IngressPeerSettings>;
  /**
   * Seconds in the `Retry-After` header.
   * @default 600
   */
  readonly retryAfterSeconds?: number;
}

/**
 * The page a suspended store serves: a one-replica Deployment of busybox's `nc` answering every
 * request with `503 Service Unavailable`, `Retry-After` and a short HTML page (nothing is read beyond
 * the request head, nothing is written anywhere), its Service, and a NetworkPolicy admitting only the
 * ingress controller to it. Its readiness is the Deployment being Available, so the Ingress is
 * re-pointed only once the page answers.
 */
export class MaintenanceResponder extends StoreStep {
  public constructor(scope: Construct, id: string, props: MaintenancePageProps) {
    const namespace = namespaceFor(props.slug);
    super(scope, id, {
      name: 'maintenance',
      title: 'Maintenance page',
      readiness: { kind: 'DeploymentAvailable', namespace, name: MAINTENANCE_NAMES.responder },
      timeoutSeconds: 120,
    });
    const retryAfter = props.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    if (!Number.isInteger(retryAfter) || retryAfter < 1) throw new Error(`retryAfterSeconds must be a positive integer, got ${retryAfter}`);
    if (props.title.trim() === '') throw new Error('maintenance page title must not be empty');
    const image = assertPinned(props.platform.images.maintenance, 'maintenance');
    const labels = componentLabels(props.slug, MAINTENANCE_NAMES.responder, 'maintenance');
    const selector = componentSelector(props.slug, MAINTENANCE_NAMES.responder);

    new k8s.KubeConfigMap(this, 'Page', {
      metadata: { name: MAINTENANCE_NAMES.page, namespace, labels },
      data: { 'respond.sh': RESPOND_SCRIPT, 'response.http': maintenanceResponse(props.title, retryAfter) },
    });
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: MAINTENANCE_NAMES.responder, namespace, labels },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // nc runs as PID 1 without a SIGTERM handler, and there is nothing to drain: stop at once on resume
            terminationGracePeriodSeconds: 1,
            securityContext: podSecurityContext(MAINTENANCE_UID, MAINTENANCE_UID),
            ...nodePoolPlacement(props.platform.nodePool),
            containers: [{
              name: 'responder',
              image,
              imagePullPolicy: 'IfNotPresent',
              // -ll with -e: a persistent server forking `sh respond.sh` per connection, its stdio the socket
              command: ['nc', '-ll', '-p', String(MAINTENANCE_PORT), '-e', 'sh', '/maintenance/respond.sh'],
              ports: [{ name: 'http', containerPort: MAINTENANCE_PORT, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(MAINTENANCE_PORT) }, periodSeconds: 5, timeoutSeconds: 2 },
              resources: resources(MAINTENANCE_RESOURCES),
              securityContext: containerSecurityContext({ readOnlyRootFilesystem: true }),
              volumeMounts: [{ name: 'page', mountPath: '/maintenance', readOnly: true }],
            }],
            volumes: [{ name: 'page', configMap: { name: MAINTENANCE_NAMES.page, defaultMode: 0o444 } }],
          },
        },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: MAINTENANCE_NAMES.responder, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: MAINTENANCE_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'Policy', {
      metadata: { name: MAINTENANCE_NAMES.policy, namespace, labels: storeLabels(props.slug) },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressPeers(props.platform), ports: [tcp(MAINTENANCE_PORT)] }],
      },
    });
  }
}

/**
 * A suspended store's objects, as two steps: the responder (`maintenance`), then the store's own
 * Ingress re-pointed at it (`ingress`: same name, host, labels and TLS, only the backend differs, so a
 * server-side apply of either version swaps the one for the other). Pure.
 */
export class MaintenancePage extends Chart {
  public constructor(scope: Construct, id: string, props: MaintenancePageProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const responder = new MaintenanceResponder(this, 'Responder', props);
    const ingress = new StoreIngress(this, 'Ingress', {
      slug: props.slug,
      name: props.ingress.name,
      host: props.ingress.host,
      backend: { serviceName: MAINTENANCE_NAMES.responder, port: MAINTENANCE_SERVICE_PORT },
      labels: props.ingress.labels,
      platform: props.platform,
      tlsSecretName: props.ingress.tlsSecretName,
    });
    ingress.node.addDependency(responder);
  }
}

/** The maintenance page's steps (`maintenance`, then `ingress`). Pure and deterministic. */
export function synthesizeMaintenance(props: MaintenancePageProps): SynthesizedStep[] {
  return collectSteps(new MaintenancePage(new App({ outdir: 'dist' }), 'Maintenance', props));
}

/** The one Ingress among a store's synthesized steps, as the maintenance page needs it; throws unless there is exactly one. */
export function storeIngressOf(steps: readonly SynthesizedStep[]): StoreIngressRef {
  const found = steps.flatMap((s) => s.objects).filter((o) => o.kind === 'Ingress');
  if (found.length !== 1) throw new Error(`a store must have exactly one Ingress to serve a maintenance page, found ${found.length}`);
  const ingress = found[0] as KubeObject & { spec?: { rules?: { host?: string }[]; tls?: { secretName?: string }[] } };
  const host = ingress.spec?.rules?.[0]?.host;
  if (host === undefined) throw new Error(`Ingress ${ingress.metadata.name} has no host`);
  return {
    name: ingress.metadata.name,
    host,
    labels: { ...ingress.metadata.labels },
    tlsSecretName: ingress.spec?.tls?.[0]?.secretName ?? `${ingress.metadata.name}-tls`,
  };
}

/**
 * One HTTP exchange on stdin/stdout (busybox sh): read the request head up to its blank line, so
 * closing the socket never resets a request still being sent, then send the prepared answer. A client
 * that sends nothing is dropped after 10 s.
 */
const RESPOND_SCRIPT = `# one HTTP exchange: the request head is read (and ignored), the 503 answer sent
cr=$(printf '\\r')
while IFS= read -r -t 10 line; do [ "$line" = "$cr" ] || [ -z "$line" ] && break; done
cat /maintenance/response.http
`;

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The whole HTTP answer of a suspended store: status line, headers (CRLF) and the HTML page. Pure. */
export function maintenanceResponse(title: string, retryAfterSeconds: number): string {
  const name = title.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
  const body = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${name} is paused</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}</style></head>',
    `<body><h1>${name} is paused</h1><p>This store is temporarily unavailable. Please come back later.</p></body></html>`,
    '',
  ].join('\n');
  const headers = [
    'HTTP/1.1 503 Service Unavailable',
    'Content-Type: text/html; charset=utf-8',
    `Retry-After: ${retryAfterSeconds}`,
    'Cache-Control: no-store',
    `Content-Length: ${new TextEncoder().encode(body).length}`,
    'Connection: close',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}
