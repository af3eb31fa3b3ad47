// Convolutional bench models built in code with seeded He-scaled weights: ResNet-50 (bottleneck
// blocks 3-4-6-3, Conv + BatchNormalization + Relu as separate nodes, residual Adds), a VGG-style
// plain CNN and MobileNet-v2 (inverted residuals with depthwise convolutions and ReLU6).
import { DataType, Model } from '../../src/onnx/ir';
import { ModelBuilder } from '../../test/helpers/model-builder';
import { conv, convBn, linear } from './layers';

/** ResNet-50 (torchvision v1.5 layout: stride in the 3×3 conv) for a `size`×`size` RGB input, batch 1. */
export function resnet50(size = 224, seed = 50): Model {
  const b = new ModelBuilder({ opset: 17, seed });
  let x = b.input('input', DataType.FLOAT, [1, 3, size, size]);
  x = convBn(b, x, 3, 64, { k: 7, stride: 2, pad: 3 }, 'relu');
  x = b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  let cin = 64;
  const stages: Array<[number, number, number]> = [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]];
  for (const [width, blocks, stride] of stages) {
    for (let i = 0; i < blocks; i++) {
      const s = i === 0 ? stride : 1;
      const cout = width * 4;
      let y = convBn(b, x, cin, width, { k: 1 }, 'relu');
      y = convBn(b, y, width, width, { k: 3, stride: s }, 'relu');
      // The last BN of a residual branch starts small, as in trained ResNets, so sums stay bounded.
      y = convBn(b, y, width, cout, { k: 1 }, 'none', 0.25);
      const short = i === 0 ? convBn(b, x, cin, cout, { k: 1, stride: s, pad: 0 }, 'none') : x;
      x = b.op('Relu', [b.op('Add', [y, short])]);
      cin = cout;
    }
  }
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  const out = linear(b, x, 2048, 1000);
  b.output(out, DataType.FLOAT, [1, 1000]);
  return b.build();
}

/** A VGG-11-style CNN (3×3 Conv + Relu stacks, MaxPool, two fully connected layers) for `size`×`size` input. */
export function vgg(size = 112, seed = 11): Model {
  const b = new ModelBuilder({ opset: 17, seed });
  let x = b.input('input', DataType.FLOAT, [1, 3, size, size]);
  let cin = 3;
  for (const stage of [[64], [128], [256, 256], [512, 512], [512, 512]]) {
    for (const c of stage) {
      x = b.op('Relu', [conv(b, x, cin, c, { k: 3, bias: true })]);
      cin = c;
    }
    x = b.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  }
  const side = size >> 5;
  x = b.op('Flatten', [x], { axis: 1 });
  x = b.op('Relu', [linear(b, x, 512 * side * side, 1024)]);
  x = b.op('Relu', [linear(b, x, 1024, 1024)]);
  b.output(linear(b, x, 1024, 1000), DataType.FLOAT, [1, 1000]);
  return b.build();
}

/** MobileNet-v2 (width 1.0): inverted residual blocks, depthwise 3×3 convs, ReLU6 as Clip, for `size`×`size` input. */
export function mobilenetV2(size = 224, seed = 2): Model {
  const b = new ModelBuilder({ opset: 17, seed });
  let x = b.input('input', DataType.FLOAT, [1, 3, size, size]);
  x = convBn(b, x, 3, 32, { k: 3, stride: 2 }, 'relu6');
  let cin = 32;
  // [expansion t, channels c, repeats n, first stride s]
  const cfg: Array<[number, number, number, number]> = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, c, n, s] of cfg) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = cin * t;
      let y = t === 1 ? x : convBn(b, x, cin, hidden, { k: 1 }, 'relu6');
      y = convBn(b, y, hidden, hidden, { k: 3, stride, group: hidden }, 'relu6');
      y = convBn(b, y, hidden, c, { k: 1 }, 'none', stride === 1 && cin === c ? 0.25 : 1);
      x = stride === 1 && cin === c ? b.op('Add', [x, y]) : y;
      cin = c;
    }
  }
  x = convBn(b, x, cin, 1280, { k: 1 }, 'relu6');
  x = b.op('Flatten', [b.op('GlobalAveragePool', [x])], { axis: 1 });
  b.output(linear(b, x, 1280, 1000), DataType.FLOAT, [1, 1000]);
  return b.build();
}
