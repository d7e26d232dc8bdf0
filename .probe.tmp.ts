import * as ccxt from 'ccxt';
import { FakeMarketExchange } from './tests/fakes/fake-market-exchange';
(async () => {
  const BAR = 4*3600e3; const t0 = Date.UTC(2024,0,1);
  const candles = Array.from({length: 2500}, (_, i) => ({ t: t0 + i*BAR, open: 100+i, high: 102+i, low: 99+i, close: 101+i, volume: 10 }));
  const fake = await new FakeMarketExchange(candles, [{t: t0+8*3600e3, rate: 0.0001}], [{t: Date.now()-3600e3, oi: 80000}]).start();
  const ex = new ccxt.binanceusdm({ enableRateLimit: false });
  (ex as any).fetchImplementation = fake.fetch;
  await ex.loadMarkets();
  console.log(fake.requests.map(r=>r.path));
  const o = await ex.fetchOHLCV('BTC/USDT:USDT', '4h', t0, 1000); console.log(o.length, o[0]);
  console.log(await ex.fetchFundingRateHistory('BTC/USDT:USDT', t0, 1000));
  console.log(await ex.fetchOpenInterestHistory('BTC/USDT:USDT', '1h', Date.now()-86400e3, 500));
  console.log((await ex.fetchOrderBook('BTC/USDT:USDT', 5)).bids);
  for (const [st, body] of [[429, '{"code":-1003,"msg":"Too many requests"}'], [503, 'Service Unavailable'], [500, '{"code":-1001,"msg":"Internal error"}'], [200, '<html>oops</html>'], [200, '{"weird":true}'], [200, '[[1,"x"]]']] as const) {
    fake.fail({ path: '/fapi/v1/klines', status: st, body });
    try { const r = await ex.fetchOHLCV('BTC/USDT:USDT', '4h', t0, 10); console.log(st, 'OK', JSON.stringify(r).slice(0,100)); } catch (e: any) { console.log(st, e.constructor.name, e instanceof ccxt.NetworkError, String(e.message).slice(0, 150)); }
  }
  console.log(fake.requests.slice(-3).map(r=>r.path + '?' + r.query.toString()));
  await fake.stop();
})();
