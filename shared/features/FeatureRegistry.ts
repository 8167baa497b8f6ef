import { type TenantConfig } from '../config/TenantConfig';
import { AppError } from '../core/errors/AppError';
import { type Feature } from './Feature';

/** The features an app instance runs; the router, scheduler, subscriptions and webhook intake loop over it. */
export class FeatureRegistry {
  private readonly byName: ReadonlyMap<string, Feature>;

  constructor(readonly features: readonly Feature[]) {
    this.byName = new Map(features.map((f) => [f.manifest.name, f]));
    if (this.byName.size !== features.length) throw new AppError('CONFIG', 'two features share a name');
  }

  /** The feature of this name; INVALID when none is registered (a job or request names an unknown one). */
  get(name: string): Feature {
    const feature = this.byName.get(name);
    if (!feature) throw new AppError('INVALID', `no feature named ${name}`);
    return feature;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The features that are on for a tenant, with their options. */
  enabledFor(config: TenantConfig): { feature: Feature; options: unknown }[] {
    if (!config.enabled) return [];
    return this.features.flatMap((feature) => {
      const options = feature.optionsFor(config);
      return options === undefined ? [] : [{ feature, options }];
    });
  }
}
