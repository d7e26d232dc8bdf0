import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { alignData, buildFeatures, detectTrendStep } from './analyst';
import type { ActivityDeps } from './deps';
import { executeOrders, executeOrdersPaper, flattenAccount, syncAccounts, syncAccountsPaper } from './exchange';
import { classified } from './failures';
import { knowledgeTransferInput, loadChanges, storeState } from './learning';
import { evaluate, recordIteration, setSchedulePaused, writeLessons } from './ops';
import { calibrateStep, forecast, forecastQuant, packageResearchStep, quantifyUncertaintyStep } from './research';
import { analyseRiskStep, logRisk } from './risk';
import { buildOrderStep, chooseStyle } from './trader';

/** Every activity, bound to its dependencies and registered under `<step code>.<step>`. */
export function createActivities(deps: ActivityDeps): ActivityContract {
  const bind = <I, O>(fn: (deps: ActivityDeps, input: I) => Promise<O>) => classified((input: I) => fn(deps, input));
  return {
    'A-A.alignData': bind(alignData),
    'X-S.syncAccounts': bind(syncAccounts),
    'X-S.syncAccountsPaper': bind(syncAccountsPaper),
    'A-B.buildFeatures': bind(buildFeatures),
    'A-C.detectTrend': bind(detectTrendStep),
    'R-A.forecast': bind(forecast),
    'R-A.forecastQuant': bind(forecastQuant),
    'R-B.quantifyUncertainty': bind(quantifyUncertaintyStep),
    'R-C.calibrate': bind(calibrateStep),
    'R-D.packageResearch': bind(packageResearchStep),
    'T-A.chooseStyle': bind(chooseStyle),
    'T-B.buildOrder': bind(buildOrderStep),
    'M-A.analyseRisk': bind(analyseRiskStep),
    'M-B.logRisk': bind(logRisk),
    'X-E.executeOrders': bind(executeOrders),
    'X-E.executeOrdersPaper': bind(executeOrdersPaper),
    'E.evaluate': bind(evaluate),
    'X-F.flattenAccount': bind(flattenAccount),
    'O-S.setSchedulePaused': bind(setSchedulePaused),
    'K-T.writeLessons': bind(writeLessons),
    'O-R.recordIteration': bind(recordIteration),
    'O-L.storeState': bind(storeState),
    'O-L.knowledgeTransferInput': bind(knowledgeTransferInput),
    'O-L.loadChanges': bind(loadChanges),
  };
}
