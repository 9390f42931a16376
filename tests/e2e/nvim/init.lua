-- Neovim (0.7 or newer) running Paribus's language server, and run(): the end-to-end check
-- that tests/e2e/test_nvim.py starts headless in a copy of the fixture project:
--
--   PARIBUS_PYTHON=.venv/bin/python PARIBUS_E2E_RESULT=out.json \
--     nvim --headless -n -i NONE -u init.lua train.py -c 'lua run()'
--
-- run() writes what it saw to PARIBUS_E2E_RESULT and exits 0 (all checks ran) or 1.
-- vim.lsp.start does not exist before 0.8: start_client + buf_attach_client work everywhere.
vim.cmd('filetype on')

local python = os.getenv('PARIBUS_PYTHON') or 'python3'
local result_file = os.getenv('PARIBUS_E2E_RESULT') or 'paribus-nvim-result.json'
local TIMEOUT_MS = tonumber(os.getenv('PARIBUS_E2E_TIMEOUT_MS') or '30000')
local client_id
local server_exit

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'python', 'yaml', 'toml' },
  callback = function(args)
    if not client_id then
      client_id = vim.lsp.start_client({
        name = 'paribus',
        cmd = { python, '-m', 'paribus', 'lsp' },
        root_dir = vim.fn.getcwd(),
        on_exit = function(code, signal)
          server_exit = { code = code, signal = signal }
        end,
      })
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

local function code_of(diagnostic)
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp or {}
  return diagnostic.code or lsp.code
end

-- vim.str_utfindex(line, byte) returns the UTF-32 and UTF-16 index of a byte column.
local function utf16_column(line, byte)
  local _, utf16 = vim.str_utfindex(line, math.min(byte, #line))
  return utf16
end

local function paribus_diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'paribus' then
      local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ''
      local end_line = vim.api.nvim_buf_get_lines(buf, d.end_lnum, d.end_lnum + 1, false)[1] or ''
      table.insert(out, {
        code = code_of(d),
        severity = vim.diagnostic.severity[d.severity],
        message = d.message,
        -- vim.diagnostic columns are bytes; the LSP range is UTF-16 code units.
        lsp_range = {
          start = { line = d.lnum, character = utf16_column(line, d.col) },
          ['end'] = { line = d.end_lnum, character = utf16_column(end_line, d.end_col) },
        },
        byte_range = { d.lnum, d.col, d.end_lnum, d.end_col },
      })
    end
  end
  table.sort(out, function(a, b) return a.lsp_range.start.line < b.lsp_range.start.line end)
  return out
end

local function count_code(diagnostics, code)
  local n = 0
  for _, d in ipairs(diagnostics) do
    if d.code == code then n = n + 1 end
  end
  return n
end

local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT_MS)
  if not responses then error(method .. ' failed: ' .. tostring(err)) end
  for _, response in pairs(responses) do
    if response.error then error(method .. ' answered an error: ' .. vim.inspect(response.error)) end
    return response.result
  end
end

local function checks(buf, result)
  local started = vim.loop.hrtime()
  local seconds = function() return (vim.loop.hrtime() - started) / 1e9 end

  -- 1. Diagnostics: PB101 on both changed values.
  local arrived = vim.wait(TIMEOUT_MS, function()
    return count_code(paribus_diagnostics(buf), 'PB101') >= 2
  end, 50)
  result.diagnostics = paribus_diagnostics(buf)
  result.first_diagnostics_seconds = seconds()
  if not arrived then error('no two PB101 diagnostics within ' .. TIMEOUT_MS .. ' ms') end

  -- 2. Code actions on the LEARNING_RATE diagnostic.
  local target
  for _, d in ipairs(result.diagnostics) do
    if d.code == 'PB101' and d.message:match('^LEARNING_RATE') then target = d end
  end
  if not target then error('no PB101 diagnostic about LEARNING_RATE') end
  local actions = request(buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = target.lsp_range,
    context = {
      diagnostics = {
        { range = target.lsp_range, code = target.code, source = 'paribus', message = target.message, severity = 2 },
      },
    },
  }) or {}
  result.actions = {}
  local revert
  for _, action in ipairs(actions) do
    table.insert(result.actions, action.title)
    if action.title == 'Revert LEARNING_RATE to 0.001' then revert = action end
  end
  if not revert then error('no "Revert LEARNING_RATE to 0.001" action') end
  if not revert.edit and revert.data ~= nil then
    revert = request(buf, 'codeAction/resolve', revert)
  end
  if not revert.edit then error('the revert action has no edit') end
  result.revert_edit = revert.edit

  -- 3. Apply the revert and check the buffer and the diagnostics that follow.
  vim.lsp.util.apply_workspace_edit(revert.edit, 'utf-16')
  result.line_after_revert = vim.api.nvim_buf_get_lines(buf, 9, 10, false)[1]
  vim.wait(TIMEOUT_MS, function()
    return count_code(paribus_diagnostics(buf), 'PB101') == 0
  end, 50)
  result.diagnostics_after_revert = paribus_diagnostics(buf)

  -- 4. Hover over the remaining changed value (DROPOUT) and the CodeLens of the script.
  local ok, hover = pcall(request, buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 11, character = 11 },
  })
  result.hover = ok and hover or { error = hover }
  local lens_ok, lenses = pcall(request, buf, 'textDocument/codeLens', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
  })
  result.code_lenses = lens_ok and lenses or { error = lenses }
  result.seconds = seconds()
end

function run()
  local buf = vim.api.nvim_get_current_buf()
  local result = { nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch }
  local ok, err = pcall(checks, buf, result)
  if not ok then result.error = tostring(err) end
  result.server_exit = server_exit
  result.lsp_log = vim.lsp.get_log_path()
  local file = io.open(result_file, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  if client_id then
    vim.lsp.stop_client(client_id)
    vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  end
  vim.cmd(ok and 'qa!' or 'cq')
end
