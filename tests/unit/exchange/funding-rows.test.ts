import { applyBar, createAccount, submitOrder } from '../../../domain/exchange/paper-exchange';
import type { Account, AccountEvent } from '../../../domain/schemas/account';
import type { ExchangeCosts } from '../../../domain/schemas/config';
import type { FundingRate } from '../../../domain/schemas/market';
import { H4, NO_COSTS, T0, flatBar, makeOrder } from './fixtures';

const H = H4 / 4;

/** A 1 BTC 1x long opened at the close of bar 0 (T0 + 4h) at 100: a rate r costs 100·r at a 100 mark. */
function openLong(): Account {
  return submitOrder(
    createAccount(10_000, T0 + H4),
    makeOrder({ size: 1, leverage: 1, stopLoss: 1, takeProfit: 1_000 }),
    flatBar(0, 100),
    H4,
    NO_COSTS,
  ).account;
}

/** The funding events of bar 1 (T0 + 4h, T0 + 8h], whose close is the 08:00 settlement. */
function fundingOfBar1(rows: FundingRate[], costs: ExchangeCosts = NO_COSTS): AccountEvent[] {
  return applyBar(openLong(), flatBar(1, 100), H4, rows, costs).events.filter((e) => e.type === 'funding');
}

describe('funding rows: the last rate published before a settlement applies, once', () => {
  it('charges one settlement with the later of two rates published for it', () => {
    const events = fundingOfBar1([
      { t: T0 + 6 * H, rate: 0.001 },
      { t: T0 + 8 * H, rate: 0.002 },
    ]);
    expect(events).toEqual([{ type: 'funding', atMs: T0 + 8 * H, rate: 0.002, amount: -0.2 }]);
  });

  it('takes the last of two rows with the same timestamp (a republished rate), once', () => {
    const events = fundingOfBar1([
      { t: T0 + 8 * H, rate: 0.001 },
      { t: T0 + 8 * H, rate: 0.003 },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ atMs: T0 + 8 * H, rate: 0.003 });
  });

  it('charges an off-grid row at the next settlement instant, not at its own time', () => {
    const events = fundingOfBar1([{ t: T0 + 5 * H, rate: 0.001 }]);
    expect(events).toEqual([{ type: 'funding', atMs: T0 + 8 * H, rate: 0.001, amount: expect.closeTo(-0.1, 12) }]);
  });

  it('takes the settlement grid from the venue setting (8h by default)', () => {
    const row = [{ t: T0 + 5 * H, rate: 0.001 }];
    expect(fundingOfBar1(row)[0]).toMatchObject({ atMs: T0 + 8 * H });
    expect(fundingOfBar1(row, { ...NO_COSTS, fundingIntervalMs: 2 * H })[0]).toMatchObject({ atMs: T0 + 6 * H });
  });

  it('charges each settlement once across bars even when the rows are passed again', () => {
    const rows = [
      { t: T0 + 8 * H, rate: 0.001 },
      { t: T0 + 16 * H, rate: 0.001 },
    ];
    let account = openLong();
    const charged: AccountEvent[] = [];
    for (let i = 1; i <= 4; i++) {
      const step = applyBar(account, flatBar(i, 100), H4, rows, NO_COSTS);
      account = step.account;
      charged.push(...step.events.filter((e) => e.type === 'funding'));
    }
    expect(charged.map((e) => (e.type === 'funding' ? e.atMs : 0))).toEqual([T0 + 8 * H, T0 + 16 * H]);
    expect(account.funding).toBeCloseTo(-0.2, 12);
  });
});
