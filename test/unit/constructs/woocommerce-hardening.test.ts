import { describe, expect, it } from 'vitest';
import { buildResetPasswordJob, DEFAULT_PLATFORM_SETTINGS, PLANS, type KubeObject } from '../../../constructs/index.js';
import { MYSQL_RUN_DIR } from '../../../constructs/woocommerce/mysql.js';
import { APACHE_GRACEFUL_STOP_SECONDS, APACHE_LOCK_DIR, APACHE_RUN_DIR } from '../../../constructs/woocommerce/wordpress.js';
import { aSpec, allObjects, fakeSecrets, podTemplates, secretValues, synth } from './fixtures.js';

// The minor fixes of a hosting-grade store, as synthesized: database probes sign in through an option
// file (no MYSQL_PWD, no password on a command line), no Job carries a secret in its command, Apache
// stops gracefully, the internet egress rule covers IPv6 as well as IPv4, and every root filesystem is
// read-only.

type Probe = { exec?: { command: string[] } };
type Container = { name: string; command?: string[]; args?: string[]; readinessProbe?: Probe; livenessProbe?: Probe; lifecycle?: { preStop?: Probe } };

describe('WooCommerce hardening', () => {
  const objects = allObjects(synth());
  const mysql = podTemplates(objects).find((t) => t.owner.metadata.name === 'mysql')!;
  const wordpress = podTemplates(objects).find((t) => t.owner.metadata.name === 'wordpress')!;

  it('probes the database as root through an option file on a pipe, with no deprecated MYSQL_PWD', () => {
    const c = mysql.spec.containers[0] as unknown as Container;
    for (const probe of [c.readinessProbe!, c.livenessProbe!]) {
      const script = probe.exec!.command.join(' ');
      expect(script).toContain("printf '[client]\\nuser=root\\npassword=%s\\n' \"$MYSQL_ROOT_PASSWORD\" |");
      expect(script).toContain('--defaults-extra-file=/dev/stdin');
      expect(script).not.toMatch(/MYSQL_PWD|-p"|--password=/);
    }
    // MariaDB 11's images have no `mysql` names: each probe takes whichever client the image has
    expect(c.readinessProbe!.exec!.command.join(' ')).toContain('command -v mariadb || command -v mysql');
    expect(c.livenessProbe!.exec!.command.join(' ')).toContain('command -v mariadb-admin || command -v mysqladmin');
  });

  it('puts no secret value on any container\'s command line, a reset Job\'s included', () => {
    const secrets = fakeSecrets();
    const reset = buildResetPasswordJob('acme', { spec: aSpec(), platform: DEFAULT_PLATFORM_SETTINGS });
    for (const t of podTemplates([...allObjects(synth({}, {}, secrets)), reset as KubeObject])) {
      for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])] as unknown as Container[]) {
        const line = JSON.stringify([c.command ?? [], c.args ?? [], c.readinessProbe ?? {}, c.livenessProbe ?? {}]);
        for (const v of secretValues(secrets)) expect(line, `${t.owner.metadata.name}/${c.name}`).not.toContain(v);
        expect(line, `${t.owner.metadata.name}/${c.name}`).not.toMatch(/--user_pass=|--admin_password=|MYSQL_PWD/);
      }
    }
  });

  it('runs every container of every plan with a read-only root, its writes on emptyDirs', () => {
    for (const plan of PLANS) {
      for (const t of podTemplates(allObjects(synth({ plan })))) {
        for (const c of [...t.spec.containers, ...(t.spec.initContainers ?? [])]) {
          expect(c.securityContext?.readOnlyRootFilesystem, `${plan} ${t.owner.metadata.name}/${c.name}`).toBe(true);
        }
      }
    }
    const mounts = (t: typeof mysql) => Object.fromEntries(((t.spec.containers[0] as unknown as { volumeMounts: { name: string; mountPath: string }[] }).volumeMounts)
      .map((m) => [m.mountPath, m.name]));
    const emptyDirs = (t: typeof mysql) => (t.spec as unknown as { volumes: { name: string; emptyDir?: object }[] }).volumes.filter((v) => v.emptyDir).map((v) => v.name);
    expect(mounts(mysql)).toMatchObject({ [MYSQL_RUN_DIR]: 'run', '/tmp': 'tmp' });
    expect(emptyDirs(mysql).sort()).toEqual(['run', 'tmp']);
    expect(mounts(wordpress)).toMatchObject({ [APACHE_RUN_DIR]: 'apache-run', [APACHE_LOCK_DIR]: 'apache-run', '/tmp': 'tmp', '/var/www/html': 'docroot' });
    expect(emptyDirs(wordpress).sort()).toEqual(['apache-run', 'docroot', 'tmp']);
  });

  it('stops Apache gracefully: SIGWINCH before the kubelet\'s SIGTERM, inside the grace period', () => {
    const c = wordpress.spec.containers[0] as unknown as Container;
    expect(c.lifecycle?.preStop?.exec?.command).toEqual(['/bin/sh', '-c', `kill -WINCH 1; sleep ${APACHE_GRACEFUL_STOP_SECONDS}`]);
    const grace = (wordpress.spec as unknown as { terminationGracePeriodSeconds: number }).terminationGracePeriodSeconds;
    expect(grace).toBeGreaterThan(APACHE_GRACEFUL_STOP_SECONDS);
  });

  it('opens the internet on 80/443 to IPv4 and IPv6 alike, minus the cluster\'s ranges of each family', () => {
    type Rule = { to: { ipBlock: { cidr: string; except: string[] } }[]; ports: { port: number }[] };
    const setup = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'store-setup') as KubeObject & { spec: { egress: Rule[] } };
    expect(setup.spec.egress[0]!.to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
    ]);
    expect(setup.spec.egress[0]!.ports.map((p) => p.port)).toEqual([80, 443]);
    const dual = allObjects(synth({}, { clusterCidrs: ['10.42.0.0/16', 'fd00:10:42::/56'] }));
    const rule = (dual.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'store-setup') as KubeObject & { spec: { egress: Rule[] } }).spec.egress[0]!;
    expect(rule.to.map((p) => p.ipBlock)).toEqual([{ cidr: '0.0.0.0/0', except: ['10.42.0.0/16'] }, { cidr: '::/0', except: ['fd00:10:42::/56'] }]);
    expect(() => synth({}, { clusterCidrs: ['10.0.0.0/8', 'not-a-cidr'] })).toThrow(/clusterCidrs entries must be IPv4 or IPv6 CIDRs, got 'not-a-cidr'/);
  });

  it('keeps core auto-updates off (core comes from the image)', () => {
    const extra = (wordpress.spec.containers[0]!.env ?? []).find((e) => e.name === 'WORDPRESS_CONFIG_EXTRA')!.value!;
    expect(extra).toContain("define('AUTOMATIC_UPDATER_DISABLED', true);");
  });
});
