// A workbook as SheetJS (the xlsx package behind most web "export to Excel" buttons) writes it.
// node make_sheetjs.js OUT.xlsx  (NODE_PATH pointing at a node_modules holding xlsx)
const XLSX = require("xlsx");
const rows = [
  ["口岸收费目录清单"],
  ["单位名称", "广州示范港务有限公司"],
  ["统一社会信用代码", "91440101000000000J"],
  ["口岸/港区", "南沙港区"],
  ["投诉举报电话", "020-39001001"],
  ["执行日期", "2026-01-01"],
  [],
  ["序号", "收费项目", "适用条件", "服务内容", "收费标准", "计费单位", "币种", "定价方式", "收费依据", "代收代付", "备注"],
  [1, "单证费", "", "提单、舱单处理", "100", "元/票", "CNY", "市场调节价", "", "否", ""],
  [2, "电放费", "", "电放手续", "300", "元/票", "CNY", "市场调节价", "", "否", ""],
  [3, "堆存费", "重箱", "堆场保管", "1-7天免费；8-14天85元/天；15天及以上170元/天", "元/箱·天", "CNY", "市场调节价", "", "否", ""],
];
const book = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "收费目录清单");
XLSX.writeFile(book, process.argv[2], { bookType: "xlsx" });
